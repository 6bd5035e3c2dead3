package io.signstream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * optional/keda renders objects that KEDA's API accepts as written: its keda.sh objects are checked strictly against
 * npm's {@code @kubernetes-models/keda} ({@link KedaModel}), anything else against the pinned Kubernetes model
 * ({@link ApiModel}).
 */
class KedaSchemaValidationTest {

    private static Manifests keda() {
        return Manifests.render(Repository.deployDir().resolve("optional/keda"));
    }

    @Test
    void everyKedaObjectIsValidForTheKedaApi() {
        Manifests m = keda();
        List<JsonNode> kedaObjects = m.objects.stream().filter(KedaModel::isKeda).toList();
        assertFalse(m.ofKind("ScaledObject").isEmpty(), "optional/keda renders no ScaledObject");
        List<String> problems = new ArrayList<>();
        List<List<String>> found = KedaModel.problems(kedaObjects);
        for (int i = 0; i < kedaObjects.size(); i++) {
            found.get(i).forEach(p -> problems.add(p));
        }
        for (JsonNode object : m.objects) {
            if (!KedaModel.isKeda(object)) {
                problems.addAll(ApiModel.problems(object));
            }
        }
        System.out.println("optional/keda: " + kedaObjects.size() + " KEDA and " + (m.objects.size() - kedaObjects.size())
                + " other objects checked");
        assertEquals(List.of(), problems, "optional/keda has objects the API would refuse or prune");
    }

    /** The validator is only worth something if it can fail: broken copies of the real ScaledObject must not pass. */
    @Test
    void brokenCopiesOfTheScaledObjectAreRefused() {
        JsonNode scaled = keda().get("ScaledObject", "normalization-service");
        Map<String, JsonNode> broken = new LinkedHashMap<>();
        broken.put("the unbroken ScaledObject", scaled);
        broken.put("a misspelt spec field", changed(scaled, s -> {
            ObjectNode spec = (ObjectNode) s.path("spec");
            spec.set("maxReplicas", spec.remove("maxReplicaCount"));
        }));
        broken.put("a misspelt field in a trigger", changed(scaled, s -> {
            ObjectNode trigger = (ObjectNode) s.at("/spec/triggers/0");
            trigger.set("metdata", trigger.remove("metadata"));
        }));
        broken.put("an unknown field in scaleTargetRef",
                changed(scaled, s -> ((ObjectNode) s.at("/spec/scaleTargetRef")).put("namespace", "signstream")));
        broken.put("a misspelt metadata field", changed(scaled, s -> {
            ObjectNode metadata = (ObjectNode) s.path("metadata");
            metadata.set("label", metadata.remove("labels"));
        }));
        broken.put("a string where an integer belongs",
                changed(scaled, s -> ((ObjectNode) s.path("spec")).put("maxReplicaCount", "4")));
        broken.put("a number where a string belongs (trigger metadata)",
                changed(scaled, s -> ((ObjectNode) s.at("/spec/triggers/0/metadata")).put("lagThreshold", 20)));
        broken.put("an object where a list belongs",
                changed(scaled, s -> ((ObjectNode) s.path("spec")).putObject("triggers").put("type", "kafka")));
        broken.put("no triggers (required)", changed(scaled, s -> ((ObjectNode) s.path("spec")).remove("triggers")));
        broken.put("a wrong apiVersion", changed(scaled, s -> ((ObjectNode) s).put("apiVersion", "keda.sh/v1")));
        broken.put("a wrong kind", changed(scaled, s -> ((ObjectNode) s).put("kind", "ScaledObjects")));
        broken.put("an unknown field in a Kubernetes type KEDA embeds (HPA behavior)", changed(scaled, s ->
                ((ObjectNode) s.path("spec")).putObject("advanced").putObject("horizontalPodAutoscalerConfig")
                        .putObject("behavior").putObject("scaleDown").put("stabilizationWindow", 300)));
        broken.put("valid: a correct HPA behavior", changed(scaled, s -> {
            ObjectNode scaleDown = ((ObjectNode) s.path("spec")).putObject("advanced")
                    .putObject("horizontalPodAutoscalerConfig").putObject("behavior").putObject("scaleDown");
            scaleDown.put("stabilizationWindowSeconds", 300);
            ((ArrayNode) scaleDown.putArray("policies")).addObject().put("type", "Pods").put("value", 1)
                    .put("periodSeconds", 60);
        }));

        List<String> names = List.copyOf(broken.keySet());
        List<List<String>> problems = KedaModel.problems(List.copyOf(broken.values()));
        for (int i = 0; i < names.size(); i++) {
            String change = names.get(i);
            System.out.println(change + " -> " + problems.get(i));
            if (i == 0 || change.startsWith("valid: ")) {
                assertEquals(List.of(), problems.get(i), change + " must pass");
            } else {
                assertFalse(problems.get(i).isEmpty(), "the ScaledObject with " + change + " passed validation");
            }
        }
        assertTrue(problems.get(names.indexOf("a misspelt spec field")).stream()
                .anyMatch(p -> p.contains("/spec/maxReplicas is not a field")), "the unknown field is named");
    }

    private static JsonNode changed(JsonNode original, Consumer<JsonNode> change) {
        JsonNode copy = original.deepCopy();
        change.accept(copy);
        return copy;
    }
}
