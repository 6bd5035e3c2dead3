package io.signstream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

/** Only the services reach Kafka and MinIO; only the ingest and evaluator services are reachable from outside. */
class NetworkPolicyTest {

    static final Set<String> EXPOSED = Set.of("feature-ingest-service", "evaluator-service");

    /** Names of the workloads whose pod labels a podSelector matches (matchLabels only, as used here). */
    static Set<String> selected(Manifests m, JsonNode podSelector) {
        assertTrue(!podSelector.has("matchExpressions"), "matchExpressions are not used in these policies");
        Set<String> names = new TreeSet<>();
        for (JsonNode workload : m.workloads().values()) {
            JsonNode labels = Manifests.podLabels(workload);
            boolean all = true;
            for (var it = podSelector.path("matchLabels").fields(); it.hasNext();) {
                var e = it.next();
                all &= e.getValue().asText().equals(labels.path(e.getKey()).asText(null));
            }
            if (all) {
                names.add(Manifests.name(workload));
            }
        }
        return names;
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "gpu"})
    void ingressIsDeniedUnlessAllowed(String overlay) {
        Manifests m = Manifests.overlay(overlay);
        boolean defaultDeny = m.ofKind("NetworkPolicy").stream().anyMatch(p ->
                p.path("spec").path("podSelector").isEmpty()
                        && p.path("spec").path("policyTypes").toString().contains("Ingress")
                        && p.path("spec").path("ingress").isEmpty());
        assertTrue(defaultDeny, overlay + " has no default-deny ingress policy");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "gpu"})
    void onlyIngestAndEvaluatorAcceptTrafficFromAnywhere(String overlay) {
        Manifests m = Manifests.overlay(overlay);
        Set<String> open = new TreeSet<>();
        for (JsonNode policy : m.ofKind("NetworkPolicy")) {
            for (JsonNode rule : policy.path("spec").path("ingress")) {
                if (rule.path("from").isEmpty()) {
                    open.addAll(selected(m, policy.path("spec").path("podSelector")));
                }
            }
        }
        assertEquals(EXPOSED, open, "workloads reachable from any source");

        for (JsonNode service : m.ofKind("Service")) {
            String type = service.path("spec").path("type").asText("ClusterIP");
            assertEquals("ClusterIP", type, "Service " + Manifests.name(service) + " is " + type + "; expose through the Ingress");
        }
        Set<String> backends = new TreeSet<>();
        for (JsonNode ingress : m.ofKind("Ingress")) {
            for (JsonNode rule : ingress.path("spec").path("rules")) {
                for (JsonNode path : rule.path("http").path("paths")) {
                    backends.add(path.path("backend").path("service").path("name").asText());
                }
            }
        }
        assertEquals(EXPOSED, backends, "services behind the Ingress");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "gpu"})
    void onlyObjectStoreClientsReachMinio(String overlay) {
        Manifests m = Manifests.overlay(overlay);
        Set<String> allowed = new TreeSet<>();
        boolean minioSelected = false;
        for (JsonNode policy : m.ofKind("NetworkPolicy")) {
            if (!selected(m, policy.path("spec").path("podSelector")).contains("minio")
                    || policy.path("spec").path("podSelector").isEmpty()) {
                continue;
            }
            minioSelected = true;
            for (JsonNode rule : policy.path("spec").path("ingress")) {
                for (JsonNode peer : rule.path("from")) {
                    if (peer.has("podSelector") && !peer.has("namespaceSelector")) {
                        allowed.addAll(selected(m, peer.path("podSelector")));
                    } else {
                        boolean s3Port = false;
                        for (JsonNode port : rule.path("ports")) {
                            s3Port |= port.path("port").asText().equals("9000") || port.path("port").asText().equals("s3");
                        }
                        assertTrue(!s3Port, "MinIO's S3 port is open to a peer outside the namespace's pods: " + peer);
                    }
                }
            }
        }
        assertTrue(minioSelected, "no NetworkPolicy selects MinIO");
        Set<String> expected = new TreeSet<>(Set.of("minio-bucket-setup"));
        for (String service : Repository.SERVICES) {
            if (ServiceConfig.of(service).keys().stream().anyMatch(k -> k.startsWith("signstream.object-store."))) {
                expected.add(service);
            }
        }
        assertEquals(expected, allowed, "pods allowed to reach MinIO");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "gpu"})
    void onlyTheServicesReachKafka(String overlay) {
        Manifests m = Manifests.overlay(overlay);
        JsonNode kafka = m.ofKind("Kafka").get(0);
        for (JsonNode listener : kafka.path("spec").path("kafka").path("listeners")) {
            JsonNode peers = listener.path("networkPolicyPeers");
            assertTrue(!peers.isEmpty(), "listener " + listener.path("name").asText()
                    + " has no networkPolicyPeers: Strimzi would open it to every pod");
            Set<String> allowed = new TreeSet<>();
            for (JsonNode peer : peers) {
                assertTrue(peer.has("podSelector") && !peer.has("namespaceSelector"),
                        "Kafka peer outside the namespace's pods: " + peer);
                allowed.addAll(selected(m, peer.path("podSelector")));
            }
            assertEquals(new TreeSet<>(Repository.SERVICES), allowed, "pods allowed to reach Kafka");
        }
        Map<String, JsonNode> workloads = m.workloads();
        assertTrue(workloads.keySet().stream().noneMatch(w -> w.startsWith("StatefulSet/") && w.contains("kafka")),
                "Kafka runs from Strimzi's resources, not a hand-written StatefulSet");
    }
}
