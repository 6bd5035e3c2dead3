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

/**
 * Every rendered object is one the Kubernetes, Strimzi 1.2 (kafka.strimzi.io/v1, checked with Strimzi 0.51.0's
 * model less what v1 dropped: {@link ApiModel}) and Prometheus Operator APIs accept as written.
 */
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
        assertEquals("kafka.strimzi.io/v1", ApiModel.STRIMZI_API_VERSION, "the only API version Strimzi 1.2.0 serves");
        for (String kind : List.of("Kafka", "KafkaNodePool", "KafkaTopic", "KafkaUser")) {
            assertEquals(List.of(ApiModel.STRIMZI_API_VERSION + " " + kind), ApiModel.types().keySet().stream()
                    .filter(k -> k.endsWith(" " + kind)).toList(), "the model's " + kind + " is validated as v1 only");
            StrimziModel.Crd crd = StrimziModel.crd(ApiModel.types().get(ApiModel.STRIMZI_API_VERSION + " " + kind));
            assertTrue(crd.versions().get("v1").served(), kind + "'s @Crd does not serve v1: " + crd);
        }
        for (String kind : List.of("Kafka", "KafkaNodePool", "KafkaTopic", "KafkaUser")) {
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
        // Real v1beta2 properties that Strimzi 0.51.0's model still has and its v1 schema (Strimzi 1.x) does not.
        assertRefused(kafka, "spec.kafka.replicas, removed in v1 (node pools hold it)",
                k -> ((ObjectNode) k.at("/spec/kafka")).put("replicas", 3));
        assertRefused(kafka, "spec.kafka.storage, removed in v1",
                k -> ((ObjectNode) k.at("/spec/kafka")).putObject("storage").put("type", "ephemeral"));
        assertRefused(kafka, "spec.zookeeper, removed in v1",
                k -> ((ObjectNode) k.at("/spec")).putObject("zookeeper").put("replicas", 3));
        assertRefused(kafka, "Open Policy Agent authorization, a type removed in v1",
                k -> ((ObjectNode) k.at("/spec/kafka")).putObject("authorization").put("type", "opa").put("url", "http://opa:8181"));
        assertEquals(List.of(), ApiModel.problems(changed(kafka,
                k -> ((ObjectNode) k.at("/spec/kafka")).putObject("authorization").put("type", "simple"))),
                "simple authorization, a type v1 keeps, must pass");
        JsonNode user = m.get("KafkaUser", "normalization-service");
        assertRefused(user, "an ACL's single operation, removed in v1 (operations is the list)",
                u -> ((ObjectNode) u.at("/spec/authorization/acls/0")).put("operation", "Read"));
        assertRefused(user, "an ACL operation Kafka does not have",
                u -> ((ArrayNode) u.at("/spec/authorization/acls/0/operations")).add("Publish"));
        assertRefused(user, "a misspelt ACL resource field",
                u -> ((ObjectNode) u.at("/spec/authorization/acls/0/resource")).set("topic",
                        ((ObjectNode) u.at("/spec/authorization/acls/0/resource")).remove("name")));
        assertRefused(m.ofKind("KafkaNodePool").get(0), "a string for the node count",
                p -> ((ObjectNode) p.path("spec")).put("replicas", "one"));
        assertRefused(m.get("NetworkPolicy", "allow-kafka-egress"), "an egress rule with an unknown field",
                p -> ((ArrayNode) p.at("/spec/egress")).addObject().putArray("towards"));
    }

    /** How Strimzi's CRD generator reads @PresentInVersions ranges (io.strimzi.api.annotations.VersionRange). */
    @Test
    void presentInVersionsRangesAreReadAsStrimziDoes() {
        assertTrue(StrimziModel.rangeContains("v1+", "v1"));
        assertTrue(StrimziModel.rangeContains("v1beta2+", "v1"));
        assertTrue(StrimziModel.rangeContains("all", "v1"));
        assertFalse(StrimziModel.rangeContains("v1beta2", "v1"));
        assertFalse(StrimziModel.rangeContains("v1alpha1-v1beta2", "v1"));
        assertFalse(StrimziModel.rangeContains("empty", "v1"));
        assertTrue(StrimziModel.rangeContains("v1alpha1-v1beta2", "v1beta1"));
        assertFalse(StrimziModel.rangeContains("v1+", "v1beta2"));
    }

    private static JsonNode changed(JsonNode original, Consumer<JsonNode> change) {
        JsonNode copy = original.deepCopy();
        change.accept(copy);
        return copy;
    }

    private static void assertRefused(JsonNode original, String change, Consumer<JsonNode> breakIt) {
        assertEquals(List.of(), ApiModel.problems(original), "the unbroken " + Manifests.name(original) + " must pass");
        List<String> problems = ApiModel.problems(changed(original, breakIt));
        System.out.println(change + " -> " + problems);
        assertFalse(problems.isEmpty(), Manifests.name(original) + " with " + change + " passed validation");
    }
}
