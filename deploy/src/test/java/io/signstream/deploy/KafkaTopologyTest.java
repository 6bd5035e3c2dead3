package io.signstream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.signstream.localstack.TopicLayout;

/** The Strimzi resources against the topic layout the services are tested with (local-stack's TopicLayout). */
class KafkaTopologyTest {

    static Set<String> topicNames(Manifests m) {
        Set<String> names = new TreeSet<>();
        for (JsonNode topic : m.ofKind("KafkaTopic")) {
            names.add(topicName(topic));
        }
        return names;
    }

    static String topicName(JsonNode topic) {
        String name = topic.path("spec").path("topicName").asText("");
        return name.isEmpty() ? Manifests.name(topic) : name;
    }

    private static JsonNode kafka(Manifests m) {
        List<JsonNode> clusters = m.ofKind("Kafka");
        assertEquals(1, clusters.size(), "exactly one Kafka cluster");
        return clusters.get(0);
    }

    /** The Kafka versions Strimzi 1.2.0 runs (its kafka-versions.yaml); 4.1.x ended with Strimzi 1.0. */
    static final Set<String> KAFKA_VERSIONS_OF_STRIMZI_1_2 = Set.of("4.2.0", "4.2.1", "4.3.0", "4.3.1");

    @ParameterizedTest
    @ValueSource(strings = {"dev", "gpu"})
    void theClusterRunsAKafkaVersionThePinnedStrimziSupports(String overlay) {
        assertEquals("1.2.0", System.getProperty("strimzi.version"),
                "pom.xml pins another Strimzi: update KAFKA_VERSIONS_OF_STRIMZI_1_2 and README.md with it");
        JsonNode kafka = kafka(Manifests.overlay(overlay));
        String version = kafka.path("spec").path("kafka").path("version").asText();
        assertTrue(KAFKA_VERSIONS_OF_STRIMZI_1_2.contains(version), "Kafka " + version + " is not run by Strimzi 1.2.0");
        String readme = Repository.read(Repository.deployDir().resolve("README.md"));
        assertTrue(readme.contains("Kafka " + version), "README.md does not name the Kafka version " + version);
        assertTrue(readme.contains("releases/download/1.2.0/strimzi-cluster-operator-1.2.0.yaml"),
                "README.md does not install the pinned Strimzi 1.2.0");
        assertTrue(!readme.contains("install/latest"), "README.md installs an unpinned Strimzi");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "gpu"})
    void theClusterRunsInKraftModeWithNodePools(String overlay) {
        Manifests m = Manifests.overlay(overlay);
        JsonNode kafka = kafka(m);
        String cluster = Manifests.name(kafka);
        // Ignored since Strimzi 0.48 (KRaft and node pools are the only mode): stale, not harmless.
        assertTrue(kafka.path("metadata").path("annotations").path("strimzi.io/kraft").isMissingNode());
        assertTrue(kafka.path("metadata").path("annotations").path("strimzi.io/node-pools").isMissingNode());
        List<JsonNode> pools = m.ofKind("KafkaNodePool");
        assertTrue(!pools.isEmpty(), "no KafkaNodePool");
        Set<String> roles = new LinkedHashSet<>();
        for (JsonNode pool : pools) {
            assertEquals(cluster, pool.path("metadata").path("labels").path("strimzi.io/cluster").asText(),
                    "KafkaNodePool " + Manifests.name(pool) + " belongs to another cluster");
            pool.path("spec").path("roles").forEach(r -> roles.add(r.asText()));
        }
        assertEquals(Set.of("controller", "broker"), roles, "node pools must provide KRaft controllers and brokers");

        JsonNode config = kafka.path("spec").path("kafka").path("config");
        assertTrue(config.path("message.max.bytes").asLong() >= TopicLayout.MAX_MESSAGE_BYTES, "broker message.max.bytes");
        assertTrue(config.path("replica.fetch.max.bytes").asLong() >= config.path("message.max.bytes").asLong(),
                "followers must fetch the largest record the leader accepts");
        assertEquals("false", config.path("auto.create.topics.enable").asText(), "topics come from KafkaTopic resources");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "gpu"})
    void everyTopicOfTheLayoutIsAKafkaTopicWithItsPartitionsAndRetention(String overlay) {
        Manifests m = Manifests.overlay(overlay);
        String cluster = Manifests.name(kafka(m));
        int brokers = brokerCount(m);
        assertEquals(TopicLayout.DEFAULT.size(), m.ofKind("KafkaTopic").size(), "one KafkaTopic per topic of the layout");
        for (TopicLayout.TopicSpec spec : TopicLayout.DEFAULT) {
            JsonNode topic = m.ofKind("KafkaTopic").stream().filter(t -> spec.name().equals(topicName(t))).findFirst()
                    .orElseThrow(() -> new AssertionError(overlay + " has no KafkaTopic for " + spec.name()));
            assertEquals(cluster, topic.path("metadata").path("labels").path("strimzi.io/cluster").asText(),
                    spec.name() + " strimzi.io/cluster label");
            JsonNode topicSpec = topic.path("spec");
            assertTrue(topicSpec.path("partitions").asInt() >= spec.partitions(),
                    spec.name() + " needs at least " + spec.partitions() + " partitions");
            int replicas = topicSpec.path("replicas").asInt();
            assertTrue(replicas >= 1 && replicas <= brokers, spec.name() + " replicas " + replicas + " with " + brokers + " brokers");
            JsonNode config = topicSpec.path("config");
            assertTrue(config.path("min.insync.replicas").asInt(1) <= replicas, spec.name() + " min.insync.replicas > replicas");
            assertEquals(TopicLayout.MAX_MESSAGE_BYTES, config.path("max.message.bytes").asInt(),
                    spec.name() + " max.message.bytes (multi-MB samples)");
            for (Map.Entry<String, String> expected : spec.configs().entrySet()) {
                assertEquals(expected.getValue(), config.path(expected.getKey()).asText(),
                        spec.name() + " " + expected.getKey());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "gpu"})
    void configMapTopicsAndBootstrapAddressNameTheClusterResources(String overlay) {
        Manifests m = Manifests.overlay(overlay);
        Set<String> topics = topicNames(m);
        JsonNode kafka = kafka(m);
        for (JsonNode configMap : m.ofKind("ConfigMap")) {
            configMap.path("data").fields().forEachRemaining(e -> {
                if (e.getKey().startsWith("SIGNSTREAM_TOPICS_")) {
                    assertTrue(topics.contains(e.getValue().asText()), "ConfigMap " + Manifests.name(configMap) + " "
                            + e.getKey() + "=" + e.getValue().asText() + " is not a KafkaTopic (" + topics + ")");
                }
                if (e.getKey().equals("KAFKA_BOOTSTRAP_SERVERS")) {
                    assertEquals(bootstrapAddress(kafka), e.getValue().asText(), "KAFKA_BOOTSTRAP_SERVERS");
                }
            });
        }
    }

    /** Strimzi's bootstrap Service for the clients' listener: CLUSTER-kafka-bootstrap:PORT. */
    static String bootstrapAddress(JsonNode kafka) {
        return Manifests.name(kafka) + "-kafka-bootstrap:" + clientListener(kafka).path("port").asInt();
    }

    /** The one listener of the cluster: internal, TLS, SCRAM-SHA-512 (KafkaAccessTest checks the clients use it). */
    static JsonNode clientListener(JsonNode kafka) {
        JsonNode listeners = kafka.path("spec").path("kafka").path("listeners");
        assertEquals(1, listeners.size(), "one client listener, every client authenticated on it: " + listeners);
        JsonNode listener = listeners.get(0);
        assertEquals("internal", listener.path("type").asText(), "listener type");
        assertTrue(listener.path("tls").asBoolean(), "the listener must encrypt (tls: true)");
        assertEquals("scram-sha-512", listener.path("authentication").path("type").asText(), "listener authentication");
        return listener;
    }

    static int brokerCount(Manifests m) {
        int brokers = 0;
        for (JsonNode pool : m.ofKind("KafkaNodePool")) {
            for (JsonNode role : pool.path("spec").path("roles")) {
                if ("broker".equals(role.asText())) {
                    brokers += pool.path("spec").path("replicas").asInt();
                }
            }
        }
        return brokers;
    }
}
