package io.signstream.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/** Every object one overlay renders to, parsed; rendered once per overlay and test run. */
final class Manifests {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Map<Path, Manifests> RENDERED = new ConcurrentHashMap<>();

    final String name;
    final List<JsonNode> objects;

    private Manifests(String name, List<JsonNode> objects) {
        this.name = name;
        this.objects = objects;
    }

    /** deploy/overlays/NAME rendered by kubectl kustomize. */
    static Manifests overlay(String overlay) {
        return render(Repository.deployDir().resolve("overlays").resolve(overlay));
    }

    static Manifests render(Path kustomization) {
        return RENDERED.computeIfAbsent(kustomization,
                dir -> parse(Repository.deployDir().relativize(dir).toString(), Kubectl.kustomize(dir)));
    }

    static Manifests parse(String name, String yaml) {
        List<JsonNode> objects = new ArrayList<>();
        try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (documents.hasNext()) {
                JsonNode document = documents.next();
                if (document != null && !document.isNull() && !document.isMissingNode()) {
                    objects.add(document);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("rendered output of " + name + " is not YAML", e);
        }
        return new Manifests(name, List.copyOf(objects));
    }

    List<JsonNode> ofKind(String kind) {
        return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
    }

    Optional<JsonNode> find(String kind, String name) {
        return ofKind(kind).stream().filter(o -> name.equals(name(o))).findFirst();
    }

    JsonNode get(String kind, String name) {
        return find(kind, name).orElseThrow(() -> new AssertionError(
                this.name + " renders no " + kind + " named " + name + " (it has " + names(kind) + ")"));
    }

    List<String> names(String kind) {
        return ofKind(kind).stream().map(Manifests::name).toList();
    }

    /** Deployments, StatefulSets and Jobs: whatever has a pod template, by kind/name. */
    Map<String, JsonNode> workloads() {
        Map<String, JsonNode> workloads = new LinkedHashMap<>();
        for (JsonNode object : objects) {
            JsonNode template = object.path("spec").path("template");
            if (template.isObject() && template.has("spec")) {
                workloads.put(object.path("kind").asText() + "/" + name(object), object);
            }
        }
        return workloads;
    }

    /** The ConfigMap a configMapKeyRef/configMapRef names, after kustomize appended its hash. */
    JsonNode configMap(String renderedName) {
        return get("ConfigMap", renderedName);
    }

    static String name(JsonNode object) {
        return object.path("metadata").path("name").asText();
    }

    static JsonNode podSpec(JsonNode workload) {
        return workload.path("spec").path("template").path("spec");
    }

    static JsonNode podLabels(JsonNode workload) {
        return workload.path("spec").path("template").path("metadata").path("labels");
    }

    static List<JsonNode> containers(JsonNode workload) {
        List<JsonNode> containers = new ArrayList<>();
        podSpec(workload).path("initContainers").forEach(containers::add);
        podSpec(workload).path("containers").forEach(containers::add);
        return containers;
    }

    static JsonNode container(JsonNode workload, String containerName) {
        for (JsonNode container : containers(workload)) {
            if (containerName.equals(container.path("name").asText())) {
                return container;
            }
        }
        throw new AssertionError(name(workload) + " has no container named " + containerName);
    }
}
