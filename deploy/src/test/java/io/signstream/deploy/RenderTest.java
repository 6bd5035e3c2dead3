package io.signstream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

/** Both overlays render with the kubectl on this machine and hold the whole system. */
class RenderTest {

    private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace");

    @ParameterizedTest
    @ValueSource(strings = {"dev", "gpu"})
    void rendersTheWholeSystemIntoOneNamespace(String overlay) {
        Manifests m = Manifests.overlay(overlay);
        System.out.println("rendered " + overlay + " with " + Kubectl.binary() + ": " + Kubectl.clientVersion());
        Set<String> namespaces = new TreeSet<>();
        for (JsonNode object : m.objects) {
            assertTrue(object.hasNonNull("apiVersion") && object.hasNonNull("kind") && !Manifests.name(object).isEmpty(),
                    "incomplete object: " + object);
            if (!CLUSTER_SCOPED.contains(object.path("kind").asText())) {
                namespaces.add(object.path("metadata").path("namespace").asText("<none>"));
            }
        }
        assertEquals(Set.of("signstream"), namespaces, "namespaces of the namespaced objects");
        assertEquals(List.of("signstream"), m.names("Namespace"));
        for (String service : Repository.SERVICES) {
            m.get("Deployment", service);
            m.get("Service", service);
            assertTrue(Files.isRegularFile(Repository.dockerfile(service)), service + " has no src/main/docker/Dockerfile.jvm");
        }
        m.get("StatefulSet", "minio");
        m.get("Service", "minio");
        Manifests.container(m.get("StatefulSet", "minio"), "bucket-setup");
        assertEquals(List.of(), m.names("Job"), "a Job's immutable pod template can make a re-apply fail");
        assertEquals(Set.of("feature-ingest-service", "normalization-service", "evaluator-service"),
                Set.copyOf(m.names("PodDisruptionBudget")), "the replicated services' disruption budgets");
        assertTrue(!m.ofKind("Kafka").isEmpty(), "no Kafka cluster");
    }

    @Test
    void workloadsOnlyReferToConfigMapsThatAreRendered() {
        for (String overlay : List.of("dev", "gpu")) {
            Manifests m = Manifests.overlay(overlay);
            m.workloads().forEach((name, workload) -> Manifests.containers(workload)
                    // PodEnvironment fails on a ConfigMap or key that is not rendered.
                    .forEach(container -> PodEnvironment.of(m, container)));
        }
    }

    @Test
    void theOverlaysStayWithinWhatKubectl120sKustomizeUnderstands() throws Exception {
        Set<String> supported = Set.of("bases", "resources", "namespace", "patchesStrategicMerge", "patchesJson6902",
                "configMapGenerator", "secretGenerator", "generatorOptions", "images", "commonLabels",
                "commonAnnotations", "namePrefix", "nameSuffix", "vars", "crds", "apiVersion", "kind");
        try (var files = Files.walk(Repository.deployDir(), 4)) {
            for (Path file : files.filter(f -> f.getFileName().toString().equals("kustomization.yaml")).toList()) {
                JsonNode kustomization = Manifests.parse(file.toString(), Files.readString(file)).objects.get(0);
                kustomization.fieldNames().forEachRemaining(field -> assertTrue(supported.contains(field),
                        file + " uses '" + field + "', which kustomize v2.0.3 (kubectl 1.20) does not know"));
                for (JsonNode resource : kustomization.path("resources")) {
                    assertTrue(Files.isRegularFile(file.getParent().resolve(resource.asText())),
                            file + ": kustomize v2.0.3 takes only files under resources (directories go under bases): "
                                    + resource.asText());
                }
            }
        }
    }

    @Test
    void theIngressAdmitsTheLargestUploadTheIngestServiceAccepts() {
        String limit = ServiceConfig.of("feature-ingest-service").fileValues.get("quarkus.http.limits.max-body-size");
        for (String overlay : List.of("dev", "gpu")) {
            for (JsonNode ingress : Manifests.overlay(overlay).ofKind("Ingress")) {
                String proxy = ingress.path("metadata").path("annotations").path("nginx.ingress.kubernetes.io/proxy-body-size").asText();
                assertTrue(bytes(proxy) >= bytes(limit == null ? "10M" : limit), overlay + " Ingress proxy-body-size "
                        + proxy + " is below feature-ingest-service's quarkus.http.limits.max-body-size " + limit);
            }
        }
    }

    private static long bytes(String size) {
        String s = size.trim().toUpperCase(java.util.Locale.ROOT);
        if (s.isEmpty()) {
            return 1 << 20; // ingress-nginx's default: 1m
        }
        long unit = switch (s.charAt(s.length() - 1)) {
            case 'K' -> 1L << 10;
            case 'M' -> 1L << 20;
            case 'G' -> 1L << 30;
            default -> 1L;
        };
        return Long.parseLong(unit == 1 ? s : s.substring(0, s.length() - 1)) * unit;
    }
}
