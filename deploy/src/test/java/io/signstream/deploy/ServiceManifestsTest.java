package io.signstream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Each service's Deployment and Service, in each overlay, against that service's own
 * application.properties (read now, from its module) and Dockerfile.
 */
class ServiceManifestsTest {

    static final List<String> OVERLAYS = List.of("dev", "gpu");

    static Stream<Arguments> overlaysAndServices() {
        return OVERLAYS.stream().flatMap(o -> Repository.SERVICES.stream().map(s -> Arguments.of(o, s)));
    }

    private static JsonNode deployment(Manifests m, String service) {
        return m.get("Deployment", service);
    }

    private static JsonNode container(Manifests m, String service) {
        return Manifests.container(deployment(m, service), service);
    }

    private static ServiceConfig.Effective effective(Manifests m, String service) {
        return ServiceConfig.of(service).resolve(PodEnvironment.of(m, container(m, service)).variables);
    }

    static int httpPort(Manifests m, String service) {
        String port = effective(m, service).get("quarkus.http.port");
        return Integer.parseInt(port == null ? "8080" : port.trim());
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("overlaysAndServices")
    void everyValueTheServiceReadsIsSetInThePod(String overlay, String service) {
        ServiceConfig.Effective config = effective(Manifests.overlay(overlay), service);
        assertTrue(config.problems().isEmpty(), service + " in overlay " + overlay
                + " cannot resolve its configuration:\n  " + String.join("\n  ", config.problems()));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("overlaysAndServices")
    void noValueOnlyWorksOnADevelopersMachine(String overlay, String service) {
        List<String> local = new ArrayList<>();
        effective(Manifests.overlay(overlay), service).values().forEach((key, value) -> {
            if (value.contains("localhost") || value.contains("127.0.0.1")) {
                local.add(key + "=" + value + " (set " + ServiceConfig.envName(key) + " in the pod)");
            }
        });
        assertTrue(local.isEmpty(), service + " in " + overlay + " would talk to itself:\n  " + String.join("\n  ", local));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("overlaysAndServices")
    void everyConfigurationVariableNamedInThePodIsReadByTheService(String overlay, String service) {
        ServiceConfig config = ServiceConfig.of(service);
        List<String> unread = new ArrayList<>();
        for (JsonNode variable : container(Manifests.overlay(overlay), service).path("env")) {
            String name = variable.path("name").asText();
            if ((name.startsWith("SIGNSTREAM_") || name.startsWith("KAFKA_") || name.startsWith("QUARKUS_"))
                    && !config.reads(name)) {
                unread.add(name);
            }
        }
        assertTrue(unread.isEmpty(), service + " reads no key that maps to " + unread
                + " (a misspelt variable is silently ignored)");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("overlaysAndServices")
    void portsAreTheServicesHttpPort(String overlay, String service) {
        Manifests m = Manifests.overlay(overlay);
        int port = httpPort(m, service);
        JsonNode container = container(m, service);

        JsonNode http = null;
        for (JsonNode p : container.path("ports")) {
            if ("http".equals(p.path("name").asText())) {
                http = p;
            }
        }
        assertTrue(http != null, service + " declares no container port named http");
        assertEquals(port, http.path("containerPort").asInt(), service + " containerPort vs quarkus.http.port");

        for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
            if (container.has(probe)) {
                assertEquals(port, resolvePort(container, container.path(probe).path("httpGet").path("port")),
                        service + " " + probe + " port");
            }
        }

        JsonNode svc = m.get("Service", service);
        assertEquals(1, svc.path("spec").path("ports").size(), service + " Service should have exactly one port");
        assertEquals(port, resolvePort(container, svc.path("spec").path("ports").get(0).path("targetPort")),
                service + " Service targetPort");
        JsonNode selector = svc.path("spec").path("selector");
        JsonNode labels = Manifests.podLabels(deployment(m, service));
        selector.fields().forEachRemaining(e -> assertEquals(e.getValue().asText(),
                labels.path(e.getKey()).asText(), service + " Service selector " + e.getKey() + " must select its pods"));

        JsonNode annotations = deployment(m, service).path("spec").path("template").path("metadata").path("annotations");
        assertEquals("true", annotations.path("prometheus.io/scrape").asText(), service + " prometheus.io/scrape");
        assertEquals(String.valueOf(port), annotations.path("prometheus.io/port").asText(), service + " prometheus.io/port");
        assertEquals("/q/metrics", annotations.path("prometheus.io/path").asText(), service + " prometheus.io/path");

        Matcher expose = Pattern.compile("(?m)^EXPOSE\\s+(\\d+)").matcher(Repository.read(Repository.dockerfile(service)));
        assertTrue(expose.find(), service + " Dockerfile.jvm has no EXPOSE");
        assertEquals(port, Integer.parseInt(expose.group(1)), service + " Dockerfile.jvm EXPOSE");
    }

    private static int resolvePort(JsonNode container, JsonNode port) {
        if (port.isInt() || port.asText().matches("\\d+")) {
            return port.asInt();
        }
        for (JsonNode p : container.path("ports")) {
            if (port.asText().equals(p.path("name").asText())) {
                return p.path("containerPort").asInt();
            }
        }
        throw new AssertionError("port name " + port.asText() + " is not a port of container " + container.path("name"));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("overlaysAndServices")
    void probesUseTheQuarkusHealthEndpoints(String overlay, String service) {
        JsonNode container = container(Manifests.overlay(overlay), service);
        assertEquals("/q/health/ready", container.path("readinessProbe").path("httpGet").path("path").asText(),
                service + " readiness probe");
        assertEquals("/q/health/live", container.path("livenessProbe").path("httpGet").path("path").asText(),
                service + " liveness probe");
        if (container.has("startupProbe")) {
            assertEquals("/q/health/started", container.path("startupProbe").path("httpGet").path("path").asText(),
                    service + " startup probe");
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("overlaysAndServices")
    void everyTopicTheServiceUsesIsAKafkaTopic(String overlay, String service) {
        Manifests m = Manifests.overlay(overlay);
        Set<String> topics = KafkaTopologyTest.topicNames(m);
        Map<String, String> used = effective(m, service).withPrefix("signstream.topics.");
        for (Map.Entry<String, String> topic : used.entrySet()) {
            assertTrue(topics.contains(topic.getValue()), service + " uses " + topic.getKey() + "=" + topic.getValue()
                    + " but the KafkaTopics are " + topics);
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("overlaysAndServices")
    void theImageIsNamedAfterTheModuleAndTaggedWithTheVersion(String overlay, String service) {
        JsonNode container = container(Manifests.overlay(overlay), service);
        String image = container.path("image").asText();
        String tag = Repository.releaseVersion();
        assertTrue(image.matches("(.+/)?signstream/" + Pattern.quote(service) + ":" + Pattern.quote(tag)),
                service + " runs image " + image + ", expected [registry/]signstream/" + service + ":" + tag);
        String dockerfile = Repository.read(Repository.dockerfile(service));
        assertTrue(dockerfile.contains("-t signstream/" + service + ":"),
                service + " Dockerfile.jvm documents building a differently named image");
        assertTrue(Repository.read(Repository.deployDir().resolve("README.md")).contains("signstream/" + service + ":" + tag),
                "README.md does not build " + service + " with the tag the manifests run");
        assertTrue(dockerfile.contains("COPY --chown=185 target/quarkus-app/lib/ /deployments/lib/"),
                service + " Dockerfile.jvm does not copy the Quarkus fast-jar layout");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("overlaysAndServices")
    void resourcesAreRequestedAndMemoryIsLimited(String overlay, String service) {
        JsonNode resources = container(Manifests.overlay(overlay), service).path("resources");
        assertTrue(resources.path("requests").has("cpu"), service + " requests no CPU");
        assertTrue(resources.path("requests").has("memory"), service + " requests no memory");
        assertTrue(resources.path("limits").has("memory"), service + " has no memory limit");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("overlaysAndServices")
    void networkLabelsMatchWhatTheServiceTalksTo(String overlay, String service) {
        ServiceConfig config = ServiceConfig.of(service);
        JsonNode labels = Manifests.podLabels(deployment(Manifests.overlay(overlay), service));
        boolean kafka = config.keys().stream().anyMatch(k -> k.equals("kafka.bootstrap.servers"));
        boolean objectStore = config.keys().stream().anyMatch(k -> k.startsWith("signstream.object-store."));
        assertEquals(kafka, "true".equals(labels.path("signstream.io/kafka-client").asText()),
                service + ": label signstream.io/kafka-client (the Kafka NetworkPolicy peer) must be set exactly "
                        + "when the service configures kafka.bootstrap.servers (it does: " + kafka + ")");
        assertEquals(objectStore, "true".equals(labels.path("signstream.io/object-store-client").asText()),
                service + ": label signstream.io/object-store-client (MinIO's NetworkPolicy peer) must be set exactly "
                        + "when the service configures signstream.object-store.* (it does: " + objectStore + ")");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("overlaysAndServices")
    void credentialsComeFromSecrets(String overlay, String service) {
        PodEnvironment env = PodEnvironment.of(Manifests.overlay(overlay), container(Manifests.overlay(overlay), service));
        env.sources.forEach((name, source) -> {
            if (SecretsTest.looksLikeCredential(name)) {
                assertTrue(source.startsWith("secret "), service + " takes " + name + " from " + source + ", not from a Secret");
            }
        });
        assertFalse(env.variables.isEmpty(), service + " has no environment at all");
    }

    /** POST /imports reads only the dataset volume: the import root is set and is that volume's read-only mount. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"dev", "gpu"})
    void theIngestImportRootIsTheMountedDatasetVolume(String overlay) {
        Manifests m = Manifests.overlay(overlay);
        String service = "feature-ingest-service";
        String root = effective(m, service).get("signstream.ingest.import.root");
        assertTrue(root != null && root.startsWith("/"), service + " has no absolute import root: " + root);
        JsonNode mount = null;
        for (JsonNode candidate : container(m, service).path("volumeMounts")) {
            if (root.equals(candidate.path("mountPath").asText())) {
                mount = candidate;
            }
        }
        assertTrue(mount != null, "the import root " + root + " is not a mounted volume");
        assertTrue(mount.path("readOnly").asBoolean(), "imports only read the datasets: mount them read-only");
        String claim = null;
        for (JsonNode volume : Manifests.podSpec(deployment(m, service)).path("volumes")) {
            if (volume.path("name").equals(mount.path("name"))) {
                claim = volume.path("persistentVolumeClaim").path("claimName").asText(null);
            }
        }
        assertTrue(claim != null, "the import root is not a PersistentVolumeClaim");
        m.get("PersistentVolumeClaim", claim);
    }

    /**
     * The trainer's epoch cache lies on a volume of its own whose sizeLimit holds the cache's bound (the kubelet
     * evicts a pod whose emptyDir passes its limit), not in the container's root file system.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"dev", "gpu"})
    void theTrainersEpochCacheIsAnEmptyDirLargerThanTheCachesBound(String overlay) {
        Manifests m = Manifests.overlay(overlay);
        ServiceConfig.Effective config = effective(m, Repository.TRAINER);
        String directory = config.get("signstream.trainer.epoch-cache.directory");
        long bound = memorySize(config.get("signstream.trainer.epoch-cache.max-size"));
        assertTrue(bound > 0, overlay + ": the trainer has no epoch cache");
        String volume = null;
        for (JsonNode mount : container(m, Repository.TRAINER).path("volumeMounts")) {
            if (mount.path("mountPath").asText().equals(directory)) {
                volume = mount.path("name").asText();
            }
        }
        assertTrue(volume != null, overlay + ": the epoch cache " + directory + " is not a mounted volume");
        JsonNode emptyDir = null;
        for (JsonNode v : Manifests.podSpec(deployment(m, Repository.TRAINER)).path("volumes")) {
            if (volume.equals(v.path("name").asText())) {
                emptyDir = v.path("emptyDir");
            }
        }
        assertTrue(emptyDir != null && emptyDir.has("sizeLimit"), overlay + ": volume " + volume
                + " is not an emptyDir with a sizeLimit");
        long limit = io.fabric8.kubernetes.api.model.Quantity.getAmountInBytes(
                new io.fabric8.kubernetes.api.model.Quantity(emptyDir.path("sizeLimit").asText())).longValueExact();
        assertTrue(bound < limit, overlay + ": cache bound " + bound + " does not fit the volume's " + limit);
    }

    /** A Quarkus MemorySize: a number with an optional K, M, G or T suffix, powers of 1024. */
    static long memorySize(String value) {
        Matcher m = Pattern.compile("(\\d+)([KkMmGgTt]?)").matcher(value.trim());
        assertTrue(m.matches(), "not a memory size: " + value);
        int power = m.group(2).isEmpty() ? 0 : "KMGT".indexOf(Character.toUpperCase(m.group(2).charAt(0))) + 1;
        return Long.parseLong(m.group(1)) << (10 * power);
    }
}
