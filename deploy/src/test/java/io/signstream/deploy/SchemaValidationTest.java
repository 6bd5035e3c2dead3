package io.signstream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/** Every rendered object is one the Kubernetes, Strimzi 1.2 and Prometheus Operator APIs accept as written. */
class SchemaValidationTest {

    @ParameterizedTest
    @ValueSource(strings = {"overlays/dev", "overlays/gpu", "optional/monitoring"})
    void everyRenderedObjectIsValidForTheApiItNames(String kustomization) {
        Manifests m = Manifests.render(Repository.deployDir().resolve(kustomization));
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (JsonNode object : m.objects) {
            problems.addAll(ApiModel.problems(object));
            checked++;
        }
        System.out.println(kustomization + ": " + checked + " objects checked against the pinned APIs");
        assertTrue(checked > 0, kustomization + " rendered nothing to check");
        assertEquals(List.of(), problems, kustomization + " has objects the API would refuse or prune");
    }

    @Test
    void theStrimziObjectsAreTheV1ApiOfThePinnedRelease() {
        assertEquals("kafka.strimzi.io/v1 Kafka", ApiModel.types().keySet().stream()
                .filter(k -> k.endsWith(" Kafka")).findFirst().orElseThrow());
        for (String kind : List.of("Kafka", "KafkaNodePool", "KafkaTopic")) {
            for (JsonNode object : Manifests.overlay("gpu").ofKind(kind)) {
                assertEquals("kafka.strimzi.io/v1", object.path("apiVersion").asText(), kind + " " + Manifests.name(object));
            }
        }
    }

    /** The validator is only worth something if it can fail: broken copies of real objects must not pass. */
    @Test
    void brokenCopiesOfRenderedObjectsAreRefused() {
        Manifests m = Manifests.overlay("dev");
        assertRefused(m.get("Deployment", "trainer-service"), "a misspelt field", d -> {
            ObjectNode port = (ObjectNode) d.at("/spec/template/spec/containers/0/ports/0");
            port.set("containerPorts", port.remove("containerPort"));
        });
        assertRefused(m.get("Deployment", "trainer-service"), "a string where a number belongs",
                d -> ((ObjectNode) d.at("/spec/template/spec/containers/0/ports/0")).put("containerPort", "8083"));
        assertRefused(m.get("Deployment", "trainer-service"), "a number where a string belongs",
                d -> ((ObjectNode) d.at("/spec/template/metadata/annotations")).put("prometheus.io/port", 8083));
        assertRefused(m.get("Service", "minio"), "an unknown apiVersion",
                s -> ((ObjectNode) s).put("apiVersion", "v2"));
        JsonNode kafka = m.ofKind("Kafka").get(0);
        assertRefused(kafka, "Strimzi's removed v1beta2",
                k -> ((ObjectNode) k).put("apiVersion", "kafka.strimzi.io/v1beta2"));
        assertRefused(kafka, "a misspelt Strimzi field", k -> {
            ObjectNode listener = (ObjectNode) k.at("/spec/kafka/listeners/0");
            listener.set("networkPolicyPeer", listener.remove("networkPolicyPeers"));
        });
        assertRefused(kafka, "a listener type Strimzi does not have",
                k -> ((ObjectNode) k.at("/spec/kafka/listeners/0")).set("type", TextNode.valueOf("internl")));
        assertRefused(m.ofKind("KafkaNodePool").get(0), "a string for the node count",
                p -> ((ObjectNode) p.path("spec")).put("replicas", "one"));
        assertRefused(m.get("NetworkPolicy", "allow-kafka-egress"), "an egress rule with an unknown field",
                p -> ((ArrayNode) p.at("/spec/egress")).addObject().putArray("towards"));
    }

    private static void assertRefused(JsonNode original, String change, Consumer<JsonNode> breakIt) {
        assertEquals(List.of(), ApiModel.problems(original), "the unbroken " + Manifests.name(original) + " must pass");
        JsonNode copy = original.deepCopy();
        breakIt.accept(copy);
        List<String> problems = ApiModel.problems(copy);
        System.out.println(change + " -> " + problems);
        assertFalse(problems.isEmpty(), Manifests.name(original) + " with " + change + " passed validation");
    }
}
