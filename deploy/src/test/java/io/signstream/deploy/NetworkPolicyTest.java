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

    /** The resource roots of the exposed services' REST APIs (ingest: samples, imports; evaluator: evaluations, runs). */
    private static final Set<String> API_PATHS = Set.of("/samples", "/imports", "/evaluations", "/runs");

    static final Set<String> EXPOSED = Set.of("feature-ingest-service", "evaluator-service");

    /** Names of the workloads whose pod labels a podSelector matches. */
    static Set<String> selected(Manifests m, JsonNode podSelector) {
        Set<String> names = new TreeSet<>();
        for (JsonNode workload : m.workloads().values()) {
            if (matches(podSelector, Manifests.podLabels(workload))) {
                names.add(Manifests.name(workload));
            }
        }
        return names;
    }

    /** A label selector (matchLabels and matchExpressions, ANDed) against a set of labels. */
    static boolean matches(JsonNode selector, JsonNode labels) {
        for (var it = selector.path("matchLabels").fields(); it.hasNext();) {
            var e = it.next();
            if (!e.getValue().asText().equals(labels.path(e.getKey()).asText(null))) {
                return false;
            }
        }
        for (JsonNode expression : selector.path("matchExpressions")) {
            JsonNode value = labels.path(expression.path("key").asText());
            Set<String> values = new TreeSet<>();
            expression.path("values").forEach(v -> values.add(v.asText()));
            boolean ok = switch (expression.path("operator").asText()) {
                case "Exists" -> !value.isMissingNode();
                case "DoesNotExist" -> value.isMissingNode();
                case "In" -> values.contains(value.asText(null));
                case "NotIn" -> !values.contains(value.asText(null));
                default -> throw new AssertionError("unknown selector operator in " + expression);
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Labels Strimzi puts on the Kafka broker pods of cluster signstream. */
    static final JsonNode BROKER_LABELS = Manifests.parse("broker labels",
            "{strimzi.io/cluster: signstream, strimzi.io/kind: Kafka, strimzi.io/name: signstream-kafka, "
                    + "strimzi.io/pool-name: dual-role, strimzi.io/broker-role: 'true'}").objects.get(0);

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
                    // only the token-protected REST APIs go out: "/" would also publish /q/health and /q/metrics
                    String prefix = path.path("path").asText();
                    assertTrue(API_PATHS.contains(prefix), "Ingress path " + prefix + " is not one of the REST APIs "
                            + API_PATHS);
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
        Set<String> expected = new TreeSet<>();
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
                if (peer.has("namespaceSelector")) {
                    // One peer, both selectors (ANDed): KEDA's operator in KEDA's namespace, nothing else there.
                    assertEquals("keda", peer.at("/namespaceSelector/matchLabels/kubernetes.io~1metadata.name").asText(),
                            "Kafka peer in another namespace: " + peer);
                    assertEquals("keda-operator", peer.at("/podSelector/matchLabels/app.kubernetes.io~1name").asText(),
                            "Kafka peer in KEDA's namespace that is not KEDA's operator: " + peer);
                    allowed.add("keda-operator");
                } else {
                    assertTrue(peer.has("podSelector"), "Kafka peer of any pod: " + peer);
                    allowed.addAll(selected(m, peer.path("podSelector")));
                }
            }
            Set<String> expected = new TreeSet<>(Repository.SERVICES);
            expected.add("keda-operator");
            assertEquals(expected, allowed, "pods allowed to reach Kafka");
        }
        Map<String, JsonNode> workloads = m.workloads();
        assertTrue(workloads.keySet().stream().noneMatch(w -> w.startsWith("StatefulSet/") && w.contains("kafka")),
                "Kafka runs from Strimzi's resources, not a hand-written StatefulSet");
    }

    /** Egress of every workload: DNS, and Kafka or MinIO for the pods that use them; nothing else. */
    @ParameterizedTest
    @ValueSource(strings = {"dev", "gpu"})
    void podsReachOnlyDnsAndTheKafkaAndMinioTheyUse(String overlay) {
        Manifests m = Manifests.overlay(overlay);
        JsonNode minioLabels = Manifests.podLabels(m.get("StatefulSet", "minio"));
        int kafkaPort = KafkaTopologyTest.clientListener(m.ofKind("Kafka").get(0)).path("port").asInt();
        for (JsonNode workload : m.workloads().values()) {
            String name = Manifests.name(workload);
            JsonNode labels = Manifests.podLabels(workload);
            boolean denied = false;
            Set<String> reaches = new TreeSet<>();
            for (JsonNode policy : m.ofKind("NetworkPolicy")) {
                JsonNode spec = policy.path("spec");
                if (!spec.path("policyTypes").toString().contains("Egress") || !matches(spec.path("podSelector"), labels)) {
                    continue;
                }
                denied |= spec.path("egress").isEmpty();
                for (JsonNode rule : spec.path("egress")) {
                    assertTrue(!rule.path("to").isEmpty() && !rule.path("ports").isEmpty(),
                            Manifests.name(policy) + " has an egress rule open to any destination or port");
                    for (JsonNode peer : rule.path("to")) {
                        assertTrue(!peer.has("ipBlock"), Manifests.name(policy) + " allows an address block");
                        reaches.add(destination(peer, rule.path("ports"), minioLabels, kafkaPort));
                    }
                }
            }
            assertTrue(denied, overlay + ": no default-deny egress policy selects " + name);
            Set<String> expected = new TreeSet<>(Set.of("dns"));
            if ("true".equals(labels.path("signstream.io/kafka-client").asText())) {
                expected.add("kafka");
            }
            if ("true".equals(labels.path("signstream.io/object-store-client").asText())) {
                expected.add("minio");
            }
            assertEquals(expected, reaches, overlay + ": where " + name + " may connect to");
        }
    }

    private static String destination(JsonNode peer, JsonNode ports, JsonNode minioLabels, int kafkaPort) {
        Set<String> portSet = new TreeSet<>();
        ports.forEach(p -> portSet.add(p.path("protocol").asText("TCP") + "/" + p.path("port").asText()));
        String namespace = peer.at("/namespaceSelector/matchLabels/kubernetes.io~1metadata.name").asText("");
        if (namespace.equals("kube-system") && peer.at("/podSelector/matchLabels/k8s-app").asText().equals("kube-dns")
                && portSet.equals(Set.of("UDP/53", "TCP/53"))) {
            return "dns";
        }
        assertTrue(!peer.has("namespaceSelector"), "egress to another namespace: " + peer);
        if (matches(peer.path("podSelector"), BROKER_LABELS) && portSet.equals(Set.of("TCP/" + kafkaPort))) {
            assertTrue(!matches(peer.path("podSelector"), minioLabels), "Kafka egress also admits MinIO: " + peer);
            return "kafka";
        }
        if (matches(peer.path("podSelector"), minioLabels) && portSet.equals(Set.of("TCP/9000"))) {
            return "minio";
        }
        throw new AssertionError("egress to something other than DNS, Kafka or MinIO: " + peer + " " + ports);
    }
}
