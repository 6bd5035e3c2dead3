package io.signstream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Every patch of an overlay changed the object it targets, and to what it says: a patch that matches
 * nothing (a JSON6902 target naming a retired apiVersion, say) would otherwise leave the base's values
 * in place without a word.
 */
class PatchTest {

    @ParameterizedTest
    @ValueSource(strings = {"dev", "gpu"})
    void everyPatchChangedWhatItTargets(String overlay) {
        Path dir = Repository.deployDir().resolve("overlays").resolve(overlay);
        JsonNode kustomization = Manifests.parse(overlay, Repository.read(dir.resolve("kustomization.yaml"))).objects.get(0);
        Manifests base = Manifests.render(Repository.deployDir().resolve("base"));
        Manifests patched = Manifests.overlay(overlay);
        int patches = 0;
        for (JsonNode file : kustomization.path("patchesStrategicMerge")) {
            for (JsonNode patch : Manifests.parse(file.asText(), Repository.read(dir.resolve(file.asText()))).objects) {
                JsonNode before = find(base, patch);
                JsonNode after = find(patched, patch);
                String what = overlay + "/" + file.asText() + " " + patch.path("kind").asText() + " " + Manifests.name(patch);
                assertNotEquals(before, after, what + " changed nothing");
                List<String> differences = new ArrayList<>();
                contains(patch.path("spec"), after.path("spec"), "spec", differences);
                assertEquals(List.of(), differences, what + " did not end up in the rendered object");
                patches++;
            }
        }
        for (JsonNode json6902 : kustomization.path("patchesJson6902")) {
            JsonNode target = json6902.path("target");
            String apiVersion = target.path("group").asText().isEmpty() ? target.path("version").asText()
                    : target.path("group").asText() + "/" + target.path("version").asText();
            JsonNode id = Manifests.parse("target", "{apiVersion: '" + apiVersion + "', kind: " + target.path("kind").asText()
                    + ", metadata: {name: '" + target.path("name").asText() + "'}}").objects.get(0);
            assertNotEquals(find(base, id), find(patched, id), overlay + " JSON6902 patch " + json6902 + " changed nothing");
            patches++;
        }
        assertTrue(patches > 0, overlay + " has no patches to check");
        System.out.println(overlay + ": " + patches + " patches each changed their target");
    }

    private static JsonNode find(Manifests m, JsonNode id) {
        return m.objects.stream()
                .filter(o -> o.path("apiVersion").equals(id.path("apiVersion")) && o.path("kind").equals(id.path("kind"))
                        && Manifests.name(o).equals(Manifests.name(id)))
                .findFirst().orElseThrow(() -> new AssertionError(m.name + " has no " + id.path("apiVersion").asText() + " "
                        + id.path("kind").asText() + " " + Manifests.name(id)));
    }

    /** Every value of the patch is in the rendered object (list items matched by name where they have one). */
    static void contains(JsonNode patch, JsonNode rendered, String path, List<String> differences) {
        if (patch.isObject()) {
            patch.fields().forEachRemaining(e -> contains(e.getValue(), rendered.path(e.getKey()), path + "." + e.getKey(), differences));
        } else if (patch.isArray()) {
            for (int i = 0; i < patch.size(); i++) {
                JsonNode item = patch.get(i);
                JsonNode match = rendered.path(i);
                if (item.has("name")) {
                    match = null;
                    for (JsonNode candidate : rendered) {
                        if (candidate.path("name").equals(item.path("name"))) {
                            match = candidate;
                        }
                    }
                    if (match == null) {
                        differences.add(path + ": no item named " + item.path("name").asText());
                        continue;
                    }
                }
                contains(item, match, path + "[" + i + "]", differences);
            }
        } else if (!patch.asText().equals(rendered.asText(null))) {
            differences.add(path + ": patch says " + patch + ", rendered " + rendered);
        }
    }
}
