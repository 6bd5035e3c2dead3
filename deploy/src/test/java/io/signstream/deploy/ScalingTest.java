package io.signstream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.signstream.contract.Topics;

/**
 * Normalization and evaluation scale out, within the partitions they consume; the trainer scales by the runs queued or
 * training.
 */
class ScalingTest {

    /**
     * The scaled services, with the topic whose partitions bound their useful replicas: normalization
     * shares features.raw among its consumer group. The evaluator scales for REST and decoding load (its
     * training.events consumer is one partition: one replica consumes, the others serve), so no bound.
     */
    static final Map<String, String> SCALED = Map.of(
            "normalization-service", Topics.FEATURES_RAW,
            "evaluator-service", "");

    @ParameterizedTest
    @ValueSource(strings = {"dev", "gpu"})
    void normalizationAndEvaluatorHaveAutoscalersBoundedByTheirPartitions(String overlay) {
        Manifests m = Manifests.overlay(overlay);
        assertEquals(SCALED.keySet(), Map.copyOf(
                m.ofKind("HorizontalPodAutoscaler").stream().collect(java.util.stream.Collectors.toMap(
                        h -> h.path("spec").path("scaleTargetRef").path("name").asText(), h -> 0))).keySet(),
                "Deployments with an autoscaler");
        SCALED.forEach((service, topic) -> {
            JsonNode hpa = m.get("HorizontalPodAutoscaler", service);
            JsonNode target = hpa.path("spec").path("scaleTargetRef");
            assertEquals("Deployment", target.path("kind").asText());
            m.get("Deployment", target.path("name").asText());
            int min = hpa.path("spec").path("minReplicas").asInt(1);
            int max = hpa.path("spec").path("maxReplicas").asInt();
            assertTrue(min >= 1 && min < max, service + " minReplicas " + min + " maxReplicas " + max + ": no room to scale");
            if (!topic.isEmpty()) {
                int partitions = m.get("KafkaTopic", topic).path("spec").path("partitions").asInt();
                assertTrue(max <= partitions, service + " maxReplicas " + max + " exceeds the " + partitions
                        + " partitions of " + topic + ": the extra consumers would idle");
            }
            assertTrue(hpa.path("spec").path("metrics").size() > 0, service + " autoscaler has no metric");
            assertTrue(m.get("Deployment", service).path("spec").path("replicas").isMissingNode(), service
                    + " sets replicas: every apply would reset the count its autoscaler chose");
            JsonNode requests = Manifests.container(m.get("Deployment", service), service).path("resources").path("requests");
            assertTrue(requests.has("cpu"), service + ": CPU utilization needs a CPU request");
        });
    }

    /**
     * Trainer pods share the run queue and may overlap (runs are fenced by their lease, not by the pod count), but a
     * rollout never asks for an extra pod: on the gpu overlay that would be an extra GPU.
     */
    @ParameterizedTest
    @ValueSource(strings = {"dev", "gpu"})
    void theTrainerScalesAndARolloutReplacesOnePodWithoutAnExtraOne(String overlay) {
        JsonNode trainer = Manifests.overlay(overlay).get("Deployment", Repository.TRAINER);
        assertTrue(trainer.path("spec").path("replicas").asInt() >= 1, "trainer replicas");
        JsonNode strategy = trainer.path("spec").path("strategy");
        assertEquals("RollingUpdate", strategy.path("type").asText(), "trainer rollout");
        assertEquals(0, strategy.path("rollingUpdate").path("maxSurge").asInt(-1), "a surge pod would need a spare GPU");
        assertEquals(1, strategy.path("rollingUpdate").path("maxUnavailable").asInt(), "one pod at a time");
    }

    /**
     * The trainer's KEDA object scales from zero on the lag of the trainers' own consumer group on the run queue (the
     * runs queued or training), one pod per run, never more pods than the queue has partitions.
     */
    @ParameterizedTest
    @ValueSource(strings = {"dev", "gpu"})
    void theTrainerScalesFromZeroOnTheRunQueuesLag(String overlay) {
        Manifests keda = Manifests.render(Repository.deployDir().resolve("optional/keda"));
        Manifests m = Manifests.overlay(overlay);
        String service = Repository.TRAINER;
        ServiceConfig.Effective config = ServiceConfig.of(service)
                .resolve(PodEnvironment.of(m, Manifests.container(m.get("Deployment", service), service)).variables);

        JsonNode scaled = keda.get("ScaledObject", service);
        assertEquals(service, scaled.path("spec").path("scaleTargetRef").path("name").asText());
        assertEquals(0, scaled.path("spec").path("minReplicaCount").asInt(-1), "no GPU held while no run wants one");
        JsonNode trigger = scaled.path("spec").path("triggers").get(0);
        assertEquals("kafka", trigger.path("type").asText());
        assertEquals(config.get("signstream.trainer.queue.topic"), trigger.path("metadata").path("topic").asText(),
                "lag topic");
        assertEquals(config.get("signstream.trainer.queue.group"), trigger.path("metadata").path("consumerGroup")
                .asText(), "consumer group whose lag is watched");
        assertEquals("1", trigger.path("metadata").path("lagThreshold").asText(), "one pod per queued or training run");
        String topic = config.get("signstream.trainer.queue.topic");
        int max = scaled.path("spec").path("maxReplicaCount").asInt();
        assertTrue(max >= 1 && max <= m.get("KafkaTopic", topic).path("spec").path("partitions").asInt(),
                "maxReplicaCount within the partitions of " + topic);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "gpu"})
    void theKedaAlternativeWatchesTheLagOfNormalizationsOwnConsumerGroup(String overlay) {
        Manifests keda = Manifests.render(Repository.deployDir().resolve("optional/keda"));
        Manifests m = Manifests.overlay(overlay);
        String service = "normalization-service";
        JsonNode deployment = m.get("Deployment", service);
        ServiceConfig.Effective config = ServiceConfig.of(service)
                .resolve(PodEnvironment.of(m, Manifests.container(deployment, service)).variables);

        JsonNode scaled = keda.get("ScaledObject", service);
        assertEquals("signstream", scaled.path("metadata").path("namespace").asText());
        assertEquals(service, scaled.path("spec").path("scaleTargetRef").path("name").asText());
        JsonNode trigger = scaled.path("spec").path("triggers").get(0);
        assertEquals("kafka", trigger.path("type").asText());
        assertEquals(config.get("signstream.topics.raw"), trigger.path("metadata").path("topic").asText(), "lag topic");
        // KEDA's operator runs in its own namespace: the service's short name would not resolve there.
        String[] hostPort = config.get("kafka.bootstrap.servers").split(":");
        assertEquals(hostPort[0] + "." + m.get("Namespace", "signstream").path("metadata").path("name").asText() + ".svc:"
                + hostPort[1], trigger.path("metadata").path("bootstrapServers").asText(), "KEDA's bootstrap address");
        String group = config.values().entrySet().stream()
                // the SmallRye channel that consumes features.raw (mp.messaging.incoming.raw.group.id)
                .filter(e -> e.getKey().equals("mp.messaging.incoming.raw.group.id"))
                .map(Map.Entry::getValue).findFirst()
                .orElseThrow(() -> new AssertionError(service + " configures no consumer group"));
        assertEquals(group, trigger.path("metadata").path("consumerGroup").asText(), "consumer group whose lag is watched");
        // It authenticates like every client (TLS, SCRAM-SHA-512) as a principal that may only describe.
        assertEquals("scram_sha512", trigger.path("metadata").path("sasl").asText(), "KEDA's SASL mechanism");
        assertEquals("enable", trigger.path("metadata").path("tls").asText(), "KEDA's TLS");
        JsonNode authentication = keda.get("TriggerAuthentication", trigger.path("authenticationRef").path("name").asText());
        Map<String, String> refs = new java.util.TreeMap<>();
        authentication.path("spec").path("secretTargetRef").forEach(r -> refs.put(r.path("parameter").asText(),
                r.path("name").asText() + "/" + r.path("key").asText()));
        JsonNode user = keda.get("KafkaUser", "keda-lag-reader");
        JsonNode password = user.at("/spec/authentication/password/valueFrom/secretKeyRef");
        assertEquals(Map.of("username", password.path("name").asText() + "/username",
                "password", password.path("name").asText() + "/" + password.path("key").asText(),
                "ca", m.ofKind("Kafka").get(0).path("metadata").path("name").asText() + "-cluster-ca-cert/ca.crt"), refs,
                "KEDA's credentials: the lag reader's Secret (the password Strimzi sets on the user) and the cluster CA");
        // exactly the groups and topics whose lag some ScaledObject watches (this one and the trainers' run queue)
        Map<String, java.util.Set<String>> watched = new java.util.TreeMap<>();
        for (JsonNode object : keda.ofKind("ScaledObject")) {
            for (JsonNode kafka : object.path("spec").path("triggers")) {
                assertEquals(trigger.path("authenticationRef").path("name").asText(),
                        kafka.path("authenticationRef").path("name").asText(), Manifests.name(object) + " authenticates otherwise");
                watched.put("group " + kafka.path("metadata").path("consumerGroup").asText(), java.util.Set.of("describe"));
                watched.put("topic " + kafka.path("metadata").path("topic").asText(), java.util.Set.of("describe"));
            }
        }
        assertEquals(java.util.Set.of("describe"), watched.get("group " + group));
        assertEquals(java.util.Set.of("describe"), watched.get("topic " + config.get("signstream.topics.raw")));
        assertEquals(watched, KafkaAccessTest.acls(user), "the lag reader may only describe what the triggers watch");
        assertTrue(Repository.read(Repository.deployDir().resolve("README.md")).contains(
                "kubectl create secret generic " + password.path("name").asText()), "README.md does not create KEDA's Secret");
        int max = scaled.path("spec").path("maxReplicaCount").asInt();
        assertTrue(max >= 1 && max <= m.get("KafkaTopic", Topics.FEATURES_RAW).path("spec").path("partitions").asInt(),
                "maxReplicaCount within the partitions of " + Topics.FEATURES_RAW);
    }

    /** Replicated services survive a node drain: a budget of one pod at a time, replicas spread over nodes. */
    @ParameterizedTest
    @ValueSource(strings = {"dev", "gpu"})
    void replicatedServicesHaveADisruptionBudgetAndSpreadOverNodes(String overlay) {
        Manifests m = Manifests.overlay(overlay);
        for (String service : java.util.List.of("feature-ingest-service", "normalization-service", "evaluator-service")) {
            JsonNode pdb = m.get("PodDisruptionBudget", service);
            assertEquals(1, pdb.path("spec").path("maxUnavailable").asInt(), service + " PDB maxUnavailable");
            JsonNode labels = Manifests.podLabels(m.get("Deployment", service));
            assertTrue(NetworkPolicyTest.matches(pdb.path("spec").path("selector"), labels), service + " PDB selects other pods");
            JsonNode spread = Manifests.podSpec(m.get("Deployment", service)).path("topologySpreadConstraints");
            assertTrue(spread.toString().contains("kubernetes.io/hostname") && NetworkPolicyTest.matches(
                    spread.get(0).path("labelSelector"), labels), service + " is not spread over nodes: " + spread);
        }
        JsonNode pool = m.ofKind("KafkaNodePool").get(0);
        assertTrue(pool.at("/spec/template/pod/topologySpreadConstraints").toString().contains("kubernetes.io/hostname"),
                "Kafka nodes are not spread over machines");
        assertEquals(1, m.ofKind("Kafka").get(0).at("/spec/kafka/template/podDisruptionBudget/maxUnavailable").asInt(),
                "Kafka's disruption budget");
    }
}
