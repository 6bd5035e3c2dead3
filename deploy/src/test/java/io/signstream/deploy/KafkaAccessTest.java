package io.signstream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.signstream.localstack.KafkaAccess;

/**
 * "Only who should": every Kafka client is a KafkaUser allowed exactly what its configuration uses, the KafkaUsers
 * grant what local-stack's {@link KafkaAccess} grants (the layout the SASL broker is tested with), and each service
 * connects as its own principal over the TLS listener.
 */
class KafkaAccessTest {

    static Stream<Arguments> overlaysAndServices() {
        return ServiceManifestsTest.overlaysAndServices();
    }

    /** "topic features.raw" / "group signstream-normalization" -> operations, of a KafkaUser's ACLs. */
    static Map<String, Set<String>> acls(JsonNode user) {
        Map<String, Set<String>> acls = new TreeMap<>();
        JsonNode authorization = user.path("spec").path("authorization");
        assertEquals("simple", authorization.path("type").asText(), Manifests.name(user) + " authorization");
        for (JsonNode acl : authorization.path("acls")) {
            assertEquals("allow", acl.path("type").asText("allow"), Manifests.name(user) + ": deny rules are not expected");
            assertEquals("*", acl.path("host").asText("*"), Manifests.name(user) + " ACL host");
            JsonNode resource = acl.path("resource");
            assertEquals("literal", resource.path("patternType").asText("literal"),
                    Manifests.name(user) + ": a prefix ACL grants names nobody has chosen yet: " + resource);
            Set<String> operations = acls.computeIfAbsent(resource.path("type").asText() + " " + resource.path("name").asText(),
                    k -> new TreeSet<>());
            acl.path("operations").forEach(o -> operations.add(o.asText().toLowerCase(Locale.ROOT)));
        }
        return acls;
    }

    static Map<String, Set<String>> acls(KafkaAccess.Principal principal) {
        Map<String, Set<String>> acls = new TreeMap<>();
        for (KafkaAccess.Grant grant : principal.grants()) {
            Set<String> operations = acls.computeIfAbsent(grant.resourceType().name().toLowerCase(Locale.ROOT) + " " + grant.name(),
                    k -> new TreeSet<>());
            // Kafka's enum names (IDEMPOTENT_WRITE) against Strimzi's (IdempotentWrite)
            grant.operations().forEach(o -> operations.add(o.name().replace("_", "").toLowerCase(Locale.ROOT)));
        }
        return acls;
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "gpu"})
    void theKafkaUsersGrantWhatTheLocalBrokerIsTestedWith(String overlay) {
        Manifests m = Manifests.overlay(overlay);
        Map<String, Map<String, Set<String>>> deployed = new TreeMap<>();
        for (JsonNode user : m.ofKind("KafkaUser")) {
            assertEquals(Manifests.name(m.ofKind("Kafka").get(0)), user.path("metadata").path("labels").path("strimzi.io/cluster")
                    .asText(), Manifests.name(user) + " belongs to another cluster");
            assertEquals("scram-sha-512", user.path("spec").path("authentication").path("type").asText(),
                    Manifests.name(user) + " authenticates otherwise than the listener");
            deployed.put(Manifests.name(user), acls(user));
        }
        Map<String, Map<String, Set<String>>> layout = new TreeMap<>();
        KafkaAccess.DEFAULT.forEach(p -> layout.put(p.name(), acls(p)));
        assertEquals(layout, deployed, overlay + ": KafkaUsers vs local-stack's KafkaAccess");
        Set<String> topics = KafkaTopologyTest.topicNames(m);
        deployed.forEach((user, grants) -> grants.keySet().stream().filter(r -> r.startsWith("topic ")).forEach(r -> assertTrue(
                topics.contains(r.substring("topic ".length())), user + " is granted " + r + ", which is not a KafkaTopic")));
    }

    /**
     * What a service's configuration makes its clients do: each outgoing channel writes its topic, each enabled incoming
     * channel reads its topic in its group (and writes its dead-letter topic), a topic of signstream.topics.* that no
     * channel uses is read through feature-stream (no group), and the trainer's run queue (a plain consumer, see
     * trainer-service's RunQueue) reads signstream.trainer.queue.topic in signstream.trainer.queue.group. The
     * KafkaUser must allow exactly that.
     */
    static Map<String, Set<String>> needed(ServiceConfig.Effective config) {
        Map<String, Set<String>> needed = new TreeMap<>();
        Set<String> channelTopics = new TreeSet<>();
        config.values().forEach((key, value) -> {
            String[] parts = key.split("\\.", 5);
            if (parts.length < 5 || !parts[0].equals("mp") || !parts[1].equals("messaging")) {
                return;
            }
            String direction = parts[2];
            String prefix = "mp.messaging." + direction + "." + parts[3] + ".";
            if ("false".equals(config.get(prefix + "enabled"))) {
                return;
            }
            String setting = parts[4];
            if (direction.equals("outgoing") && setting.equals("topic")
                    || direction.equals("incoming") && setting.equals("dead-letter-queue.topic")) {
                needed.computeIfAbsent("topic " + value, k -> new TreeSet<>()).addAll(Set.of("write", "describe"));
                channelTopics.add(value);
            } else if (direction.equals("incoming") && setting.equals("topic")) {
                needed.computeIfAbsent("topic " + value, k -> new TreeSet<>()).addAll(Set.of("read", "describe"));
                channelTopics.add(value);
            } else if (direction.equals("incoming") && setting.equals("group.id")) {
                needed.computeIfAbsent("group " + value, k -> new TreeSet<>()).add("read");
            }
        });
        // normalization-service's one outgoing channel routes each sample to its split's topic: when the channel writes
        // one split topic, it writes all of them (the legacy all-splits topic is never written, only read)
        Map<String, String> splitTopics = new TreeMap<>(config.withPrefix("signstream.topics.normalized-"));
        splitTopics.remove("signstream.topics.normalized-legacy");
        if (splitTopics.values().stream().anyMatch(t -> needed.getOrDefault("topic " + t, Set.of()).contains("write"))) {
            splitTopics.values().forEach(t -> {
                needed.computeIfAbsent("topic " + t, k -> new TreeSet<>()).addAll(Set.of("write", "describe"));
                channelTopics.add(t);
            });
        }
        // the trainers' run queue: a plain consumer in a group (signstream.trainer.queue.*), not a channel
        if ("true".equals(config.get("signstream.trainer.queue.enabled"))) {
            String queue = config.get("signstream.trainer.queue.topic");
            needed.computeIfAbsent("topic " + queue, k -> new TreeSet<>()).addAll(Set.of("read", "describe"));
            needed.computeIfAbsent("group " + config.get("signstream.trainer.queue.group"), k -> new TreeSet<>()).add("read");
            channelTopics.add(queue);
        }
        config.withPrefix("signstream.topics.").values().stream().filter(t -> !channelTopics.contains(t))
                .forEach(t -> needed.computeIfAbsent("topic " + t, k -> new TreeSet<>()).addAll(Set.of("read", "describe")));
        return needed;
    }

    private static JsonNode container(Manifests m, String service) {
        return Manifests.container(m.get("Deployment", service), service);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("overlaysAndServices")
    void eachServiceIsAllowedExactlyWhatItsConfigurationUses(String overlay, String service) {
        Manifests m = Manifests.overlay(overlay);
        ServiceConfig.Effective config = ServiceConfig.of(service).resolve(PodEnvironment.of(m, container(m, service)).variables);
        Map<String, Set<String>> needed = needed(config);
        assertTrue(!needed.isEmpty(), service + " uses no topic at all?");
        assertEquals(needed, acls(m.get("KafkaUser", service)), overlay + ": KafkaUser " + service
                + " must allow what the service's channels and feature streams do, and nothing else");
    }

    /** The group ids KafkaAccess grants are the ones the services configure. */
    @Test
    void theConsumerGroupsOfTheLayoutAreTheServicesOwn() {
        Manifests m = Manifests.overlay("dev");
        for (String service : List.of(KafkaAccess.NORMALIZATION, KafkaAccess.EVALUATOR, KafkaAccess.TRAINER)) {
            ServiceConfig.Effective config = ServiceConfig.of(service).resolve(PodEnvironment.of(m, container(m, service)).variables);
            Set<String> groups = new TreeSet<>(needed(config).keySet());
            groups.removeIf(r -> !r.startsWith("group "));
            Set<String> granted = new TreeSet<>(acls(KafkaAccess.principal(service)).keySet());
            granted.removeIf(r -> !r.startsWith("group "));
            assertEquals(groups, granted, service + " consumer groups");
        }
        // the trainer's one group is its run queue's; feature-stream reads without one
        assertEquals(Set.of("group " + KafkaAccess.TRAINER_GROUP), acls(KafkaAccess.principal(KafkaAccess.TRAINER)).keySet()
                .stream().filter(r -> r.startsWith("group ")).collect(java.util.stream.Collectors.toSet()));
        for (String split : List.of("train", "dev", "test")) {
            assertTrue(acls(KafkaAccess.principal(KafkaAccess.NORMALIZATION)).get("topic features.normalized." + split)
                    .contains("write"), split);
        }
        // nobody writes the legacy all-splits topic any more
        assertTrue(KafkaAccess.DEFAULT.stream().noneMatch(p -> acls(p).getOrDefault("topic features.normalized", Set.of())
                .contains("write")));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("overlaysAndServices")
    void eachServiceConnectsAsItsOwnPrincipalOverTls(String overlay, String service) {
        Manifests m = Manifests.overlay(overlay);
        JsonNode container = container(m, service);
        PodEnvironment env = PodEnvironment.of(m, container);
        Map<String, String> kafka = ServiceConfig.of(service).kafkaClientSettings(env.variables);
        JsonNode cluster = m.ofKind("Kafka").get(0);
        assertEquals(KafkaTopologyTest.bootstrapAddress(cluster), kafka.get("bootstrap.servers"), service + " bootstrap");
        assertEquals("SASL_SSL", kafka.get("security.protocol"), service + " security.protocol (TLS listener, SCRAM)");
        assertEquals(KafkaTopologyTest.clientListener(cluster).path("authentication").path("type").asText()
                .toUpperCase(Locale.ROOT), kafka.get("sasl.mechanism"), service + " sasl.mechanism");
        assertEquals("secret " + service + "/sasl.jaas.config", env.sources.get("KAFKA_SASL_JAAS_CONFIG"),
                service + " must log in with its own KafkaUser's Secret (Strimzi's User Operator writes sasl.jaas.config)");
        m.get("KafkaUser", service);

        assertEquals("PEM", kafka.get("ssl.truststore.type"), service + " truststore type");
        String truststore = kafka.get("ssl.truststore.location");
        assertNotNull(truststore, service + " has no truststore: it cannot verify the brokers");
        Path file = Path.of(truststore);
        JsonNode mount = null;
        for (JsonNode candidate : container.path("volumeMounts")) {
            if (file.getParent().toString().equals(candidate.path("mountPath").asText())) {
                mount = candidate;
            }
        }
        assertNotNull(mount, service + ": " + truststore + " is not in a mounted volume");
        JsonNode secret = null;
        for (JsonNode volume : Manifests.podSpec(m.get("Deployment", service)).path("volumes")) {
            if (volume.path("name").equals(mount.path("name"))) {
                secret = volume.path("secret");
            }
        }
        assertNotNull(secret, service + ": the truststore volume is not a Secret");
        assertEquals(Manifests.name(cluster) + "-cluster-ca-cert", secret.path("secretName").asText(),
                service + " must trust Strimzi's cluster CA");
        boolean caFile = false;
        for (JsonNode item : secret.path("items")) {
            caFile |= item.path("key").asText().equals("ca.crt") && item.path("path").asText().equals(file.getFileName().toString());
        }
        assertTrue(caFile, service + ": " + truststore + " is not the Secret's ca.crt");
    }
}
