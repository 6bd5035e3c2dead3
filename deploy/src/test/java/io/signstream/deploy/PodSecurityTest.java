package io.signstream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Every pod the overlays define passes the "restricted" Pod Security Standard (the namespace enforces
 * it) and runs a fixed image build.
 */
class PodSecurityTest {

    /** What restricted asks of each pod and container, as the settings these manifests use. */
    static List<String> restrictedViolations(String workload, JsonNode pod) {
        List<String> violations = new ArrayList<>();
        JsonNode podContext = pod.path("securityContext");
        if (!pod.path("automountServiceAccountToken").isBoolean() || pod.path("automountServiceAccountToken").asBoolean()) {
            violations.add(workload + ": automountServiceAccountToken must be false (nothing here calls the Kubernetes API)");
        }
        for (String field : List.of("hostNetwork", "hostPID", "hostIPC")) {
            if (pod.path(field).asBoolean(false)) {
                violations.add(workload + ": " + field);
            }
        }
        for (JsonNode volume : pod.path("volumes")) {
            if (volume.has("hostPath")) {
                violations.add(workload + ": hostPath volume " + volume.path("name").asText());
            }
        }
        List<JsonNode> containers = new ArrayList<>();
        pod.path("initContainers").forEach(containers::add);
        pod.path("containers").forEach(containers::add);
        for (JsonNode container : containers) {
            String where = workload + "/" + container.path("name").asText();
            JsonNode context = container.path("securityContext");
            if (!context.path("runAsNonRoot").asBoolean(podContext.path("runAsNonRoot").asBoolean(false))) {
                violations.add(where + ": runAsNonRoot is not true");
            }
            if (context.path("runAsUser").asInt(podContext.path("runAsUser").asInt(-1)) == 0) {
                violations.add(where + ": runs as user 0");
            }
            String seccomp = context.path("seccompProfile").path("type").asText(podContext.path("seccompProfile").path("type").asText(""));
            if (!seccomp.equals("RuntimeDefault") && !seccomp.equals("Localhost")) {
                violations.add(where + ": seccompProfile is '" + seccomp + "', not RuntimeDefault");
            }
            if (!context.path("allowPrivilegeEscalation").isBoolean() || context.path("allowPrivilegeEscalation").asBoolean()) {
                violations.add(where + ": allowPrivilegeEscalation is not false");
            }
            if (context.path("privileged").asBoolean(false)) {
                violations.add(where + ": privileged");
            }
            if (!context.path("capabilities").path("drop").toString().contains("\"ALL\"")) {
                violations.add(where + ": capabilities.drop lacks ALL");
            }
            for (JsonNode added : context.path("capabilities").path("add")) {
                if (!added.asText().equals("NET_BIND_SERVICE")) {
                    violations.add(where + ": adds capability " + added.asText());
                }
            }
            String image = container.path("image").asText();
            String tag = image.contains("@") ? "" : image.substring(image.lastIndexOf('/') + 1).replaceFirst("^[^:]*:?", "");
            if (!image.contains("@") && (tag.isEmpty() || tag.equals("latest") || tag.endsWith("-SNAPSHOT"))) {
                violations.add(where + ": image " + image + " has no fixed tag (none, latest or -SNAPSHOT)");
            }
        }
        return violations;
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "gpu"})
    void everyPodIsRestrictedAndRunsAFixedImage(String overlay) {
        Manifests m = Manifests.overlay(overlay);
        List<String> violations = new ArrayList<>();
        for (Map.Entry<String, JsonNode> workload : m.workloads().entrySet()) {
            violations.addAll(restrictedViolations(workload.getKey(), Manifests.podSpec(workload.getValue())));
        }
        assertTrue(m.workloads().size() >= 5, "workloads: " + m.workloads().keySet());
        assertEquals(List.of(), violations, overlay + ": pods the restricted Pod Security level refuses, or unfixed images");
        JsonNode namespace = m.get("Namespace", "signstream").path("metadata").path("labels");
        assertEquals("restricted", namespace.path("pod-security.kubernetes.io/enforce").asText(),
                "the namespace must enforce the restricted level (Strimzi's pods included)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "gpu"})
    void theCheckCatchesWhatRestrictedRefuses(String overlay) {
        JsonNode pod = Manifests.podSpec(Manifests.overlay(overlay).get("Deployment", "trainer-service"));
        assertEquals(List.of(), restrictedViolations("trainer", pod));
        Map<String, java.util.function.Consumer<com.fasterxml.jackson.databind.node.ObjectNode>> breaks = Map.of(
                "no seccompProfile", p -> ((com.fasterxml.jackson.databind.node.ObjectNode) p.path("securityContext")).remove("seccompProfile"),
                "capabilities kept", p -> ((com.fasterxml.jackson.databind.node.ObjectNode) p.at("/containers/0/securityContext")).remove("capabilities"),
                "escalation allowed", p -> ((com.fasterxml.jackson.databind.node.ObjectNode) p.at("/containers/0/securityContext")).put("allowPrivilegeEscalation", true),
                "root allowed", p -> ((com.fasterxml.jackson.databind.node.ObjectNode) p.path("securityContext")).remove("runAsNonRoot"),
                "token mounted", p -> p.remove("automountServiceAccountToken"),
                "SNAPSHOT image", p -> ((com.fasterxml.jackson.databind.node.ObjectNode) p.at("/containers/0")).put("image", "signstream/trainer-service:0.1.0-SNAPSHOT"));
        breaks.forEach((name, breakIt) -> {
            com.fasterxml.jackson.databind.node.ObjectNode copy = pod.deepCopy();
            breakIt.accept(copy);
            assertTrue(!restrictedViolations("trainer", copy).isEmpty(), "the check let through: " + name);
        });
    }
}
