package io.signstream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The rules the manifest checks rely on, on hand-written cases (Quarkus' documented behaviour). */
class ServiceConfigTest {

    private static final String PROPERTIES = String.join("\n",
            "kafka.bootstrap.servers=localhost:9092",
            "%dev.signstream.object-store.access-key=dev-key",
            "%prod.signstream.object-store.secret-key=${OBJECT_STORE_SECRET}",
            "\"%test,prod\".signstream.topics.raw=features.raw",
            "%test.quarkus.http.port=0",
            "quarkus.http.port=8082",
            "signstream.normalization.instance-id=${HOSTNAME:normalization-service}",
            "signstream.nested=${A:${B:fallback}}-x");

    @Test
    void mapsKeysToEnvironmentNamesTheMicroProfileWay() {
        assertEquals("SIGNSTREAM_OBJECT_STORE_ENDPOINT", ServiceConfig.envName("signstream.object-store.endpoint"));
        assertEquals("KAFKA_BOOTSTRAP_SERVERS", ServiceConfig.envName("kafka.bootstrap.servers"));
        assertEquals("QUARKUS_LOG_CATEGORY__ORG_APACHE_KAFKA__LEVEL",
                ServiceConfig.envName("quarkus.log.category.\"org.apache.kafka\".level"));
    }

    @Test
    void keepsTheProdProfileAndDropsTheOthers() {
        Map<String, String> prod = ServiceConfig.prodProfile(PROPERTIES);
        assertEquals("${OBJECT_STORE_SECRET}", prod.get("signstream.object-store.secret-key"));
        assertEquals("features.raw", prod.get("signstream.topics.raw"));
        assertEquals("8082", prod.get("quarkus.http.port"));
        assertFalse(prod.containsKey("signstream.object-store.access-key"), "a %dev key is not read in prod");
    }

    @Test
    void environmentOverridesTheFileAndFillsExpressions() {
        ServiceConfig config = ServiceConfig.fromText("s", PROPERTIES, requiredInCode());
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", "signstream-kafka-bootstrap:9092");
        env.put("OBJECT_STORE_SECRET", "<secret s/secret-key>");
        env.put("SIGNSTREAM_OBJECT_STORE_ACCESS_KEY", "<secret s/access-key>");
        env.put("B", "from-b");
        ServiceConfig.Effective effective = config.resolve(env);
        assertEquals(java.util.List.of(), effective.problems());
        assertEquals("signstream-kafka-bootstrap:9092", effective.get("kafka.bootstrap.servers"));
        assertEquals("<secret s/secret-key>", effective.get("signstream.object-store.secret-key"));
        assertEquals("<secret s/access-key>", effective.get("signstream.object-store.access-key"));
        assertEquals("normalization-service", effective.get("signstream.normalization.instance-id"));
        assertEquals("from-b-x", effective.get("signstream.nested"));
        assertTrue(config.reads("SIGNSTREAM_TOPICS_RAW"));
        assertTrue(config.reads("OBJECT_STORE_SECRET"));
        assertFalse(config.reads("SIGNSTREAM_TOPICS_NORMALIZED"));
    }

    @Test
    void reportsWhatThePodLeavesUnset() {
        ServiceConfig config = ServiceConfig.fromText("s", PROPERTIES, requiredInCode());
        ServiceConfig.Effective effective = config.resolve(Map.of());
        assertEquals(2, effective.problems().size(), effective.problems().toString());
        assertTrue(effective.problems().stream().anyMatch(p -> p.contains("OBJECT_STORE_SECRET")));
        assertTrue(effective.problems().stream().anyMatch(p -> p.contains("SIGNSTREAM_OBJECT_STORE_ACCESS_KEY")));
        assertEquals("localhost:9092", effective.get("kafka.bootstrap.servers"));
    }

    /** A key read in code with no default, as {@code @ConfigProperty(name = "...") String key;} reads it. */
    private static Map<String, String> requiredInCode() {
        Map<String, String> read = new HashMap<>();
        read.put("signstream.object-store.access-key", null);
        return read;
    }
}
