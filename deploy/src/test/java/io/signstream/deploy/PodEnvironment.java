package io.signstream.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The environment a container starts with, resolved against the rendered ConfigMaps. Values from
 * Secrets are not known here (they are created out of band): they stand as "&lt;secret NAME/KEY&gt;".
 */
final class PodEnvironment {

    final Map<String, String> variables = new LinkedHashMap<>();
    /** Where each variable comes from: "literal", "configmap NAME", "secret NAME/KEY", ... */
    final Map<String, String> sources = new LinkedHashMap<>();
    /** Variables set by a literal value in the manifest (not from a ConfigMap or Secret). */
    final List<String> literals = new ArrayList<>();

    static PodEnvironment of(Manifests manifests, JsonNode container) {
        PodEnvironment env = new PodEnvironment();
        for (JsonNode from : container.path("envFrom")) {
            String prefix = from.path("prefix").asText("");
            if (from.has("configMapRef")) {
                String name = from.path("configMapRef").path("name").asText();
                manifests.configMap(name).path("data").fields().forEachRemaining(e -> {
                    env.variables.put(prefix + e.getKey(), e.getValue().asText());
                    env.sources.put(prefix + e.getKey(), "configmap " + name);
                });
            } else if (from.has("secretRef")) {
                throw new AssertionError(container.path("name").asText() + " takes envFrom secretRef "
                        + from.path("secretRef").path("name").asText() + ": name each variable with secretKeyRef, "
                        + "so the keys a service needs are visible in the manifest");
            }
        }
        for (JsonNode variable : container.path("env")) {
            String name = variable.path("name").asText();
            JsonNode valueFrom = variable.path("valueFrom");
            if (variable.has("value")) {
                env.variables.put(name, variable.path("value").asText());
                env.sources.put(name, "literal");
                env.literals.add(name);
            } else if (valueFrom.has("configMapKeyRef")) {
                JsonNode ref = valueFrom.path("configMapKeyRef");
                JsonNode data = manifests.configMap(ref.path("name").asText()).path("data");
                String key = ref.path("key").asText();
                if (!data.has(key)) {
                    throw new AssertionError(name + " refers to key " + key + " that ConfigMap "
                            + ref.path("name").asText() + " does not have");
                }
                env.variables.put(name, data.path(key).asText());
                env.sources.put(name, "configmap " + ref.path("name").asText());
            } else if (valueFrom.has("secretKeyRef")) {
                JsonNode ref = valueFrom.path("secretKeyRef");
                String source = ref.path("name").asText() + "/" + ref.path("key").asText();
                env.variables.put(name, "<secret " + source + ">");
                env.sources.put(name, "secret " + source);
            } else {
                env.variables.put(name, "<" + valueFrom.fieldNames().next() + ">");
                env.sources.put(name, valueFrom.fieldNames().next());
            }
        }
        return env;
    }
}
