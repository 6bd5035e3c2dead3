package io.signstream.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.signstream.contract.FeatureSampleCodec;
import io.signstream.contract.Topics;
import io.signstream.contract.proto.FeatureSample;
import io.signstream.contract.proto.Split;
import io.signstream.localstack.TopicProbe;
import io.signstream.localstack.synthetic.SyntheticDataset;
import io.signstream.localstack.synthetic.SyntheticOptions;

/**
 * Two evaluator instances (two real processes of the packaged service, {@code up --evaluators 2}) on one broker and
 * one bucket, as deploy/ runs replicas: a real trainer announces its checkpoints on training.events and exactly one evaluation is made per
 * checkpoint; both instances give the same answers for the listing, each evaluation and the best checkpoint; an
 * evaluation POSTed to one is seen by the other; and a job whose instance is killed (SIGKILL) is taken over by the
 * survivor and finished once.
 */
class EvaluatorReplicasTest {

    private static final int EPOCHS = 3;

    @Test
    void twoEvaluatorsShareTheirJobsAndAnswerAlike() throws Exception {
        Stack stack = new Stack(StackFixture.isolatedSettings(), new Progress(System.out));
        StackState state = stack.up(EnumSet.of(ServiceSpec.NORMALIZATION, ServiceSpec.TRAINER, ServiceSpec.EVALUATOR),
                Map.of(ServiceSpec.EVALUATOR, 2));
        try {
            ServiceClient a = state.client(ServiceSpec.EVALUATOR, 1);
            ServiceClient b = state.client(ServiceSpec.EVALUATOR, 2);
            String instanceA = instanceId(a);
            String instanceB = instanceId(b);
            assertNotEquals(instanceA, instanceB);

            SyntheticDataset data = new SyntheticDataset(SyntheticOptions.tiny());
            List<FeatureSample> samples = new ArrayList<>();
            for (Split split : List.of(Split.TRAIN, Split.DEV, Split.TEST)) {
                samples.addAll(data.featureSamples(split));
            }
            TopicProbe probe = new TopicProbe(state.bootstrapServers());
            try (KafkaProducer<String, byte[]> producer = probe.producer()) {
                for (FeatureSample sample : samples) {
                    producer.send(new ProducerRecord<>(Topics.FEATURES_RAW, sample.getSampleId(),
                            FeatureSampleCodec.encode(sample))).get(30, TimeUnit.SECONDS);
                }
            }
            probe.readUntil(Topics.FEATURES_NORMALIZED, records -> records.size() >= samples.size(),
                    Duration.ofSeconds(90));

            ServiceClient trainer = state.client(ServiceSpec.TRAINER);
            String runId = "replicas-" + System.nanoTime();
            trainer.post("/runs", Map.of("runId", runId, "model", "small", "epochs", EPOCHS, "batchSize", 4,
                    "learningRate", 3e-3, "seed", 5));
            JsonNode run = await(() -> trainer.get("/runs/" + runId), r -> List.of("COMPLETED", "FAILED", "STOPPED")
                    .contains(r.path("status").asText()), "the run to end");
            assertEquals("COMPLETED", run.path("status").asText(), run.toString());

            // one automatic evaluation per checkpoint, made by one of the two, finished, seen alike by both
            JsonNode listed = await(() -> a.get("/evaluations?run=" + runId), list -> automatic(list).size() == EPOCHS
                    && all(list, "COMPLETED"), EPOCHS + " automatic evaluations to complete");
            Map<Integer, Integer> perEpoch = new TreeMap<>();
            for (JsonNode evaluation : automatic(listed)) {
                perEpoch.merge(evaluation.path("checkpoint").path("epoch").asInt(), 1, Integer::sum);
            }
            assertEquals(Map.of(1, 1, 2, 1, 3, 1), perEpoch, "one evaluation per checkpoint: " + listed);
            assertEquals(listed, b.get("/evaluations?run=" + runId), "the same listing from both instances");
            for (JsonNode evaluation : listed) {
                String path = "/evaluations/" + evaluation.path("id").asText();
                assertEquals(a.get(path), b.get(path), path);
            }
            JsonNode best = a.get("/runs/" + runId + "/best");
            assertEquals(best, b.get("/runs/" + runId + "/best"));

            // started over REST on B: A sees it, it runs once (on B, its owner) and both answer alike
            JsonNode posted = b.post("/evaluations", Map.of("checkpoint", Map.of("run", runId, "epoch", "best"),
                    "split", "test"));
            String restId = posted.path("id").asText();
            JsonNode done = await(() -> a.get("/evaluations/" + restId), e -> finished(e), "the POSTed evaluation");
            assertEquals("COMPLETED", done.path("status").asText(), done.toString());
            assertEquals(instanceB, done.path("owner").asText());
            assertEquals(done, b.get("/evaluations/" + restId));

            // jobs whose instance dies are taken over by the survivor and finished once; B runs one job at a time, so
            // the second of two POSTed right before the kill is surely still QUEUED there
            String first = b.post("/evaluations", Map.of("checkpoint", Map.of("run", runId, "epoch", 1),
                    "split", "dev")).path("id").asText();
            String orphanId = b.post("/evaluations", Map.of("checkpoint", Map.of("run", runId, "epoch", 2),
                    "split", "dev")).path("id").asText();
            ProcessHandle replicaB = ProcessHandle.of(state.pid(ServiceSpec.EVALUATOR, 2)).orElseThrow();
            replicaB.destroyForcibly();
            replicaB.onExit().get(30, TimeUnit.SECONDS);
            JsonNode seenByA = a.get("/evaluations/" + orphanId);
            assertEquals(instanceB, seenByA.path("owner").asText(), "B owned it when it died: " + seenByA);
            assertEquals("QUEUED", seenByA.path("status").asText(), seenByA.toString());
            JsonNode takenOver = await(() -> a.get("/evaluations/" + orphanId), e -> finished(e),
                    "the dead instance's job to be taken over and finished");
            assertEquals("COMPLETED", takenOver.path("status").asText(), takenOver.toString());
            assertEquals(instanceA, takenOver.path("owner").asText(), "finished by the survivor");
            JsonNode firstDone = await(() -> a.get("/evaluations/" + first), e -> finished(e), "the first orphan");
            assertEquals("COMPLETED", firstDone.path("status").asText(), firstDone.toString());
            JsonNode all = a.get("/evaluations?run=" + runId);
            assertEquals(EPOCHS + 3, all.size(), "no job lost or duplicated: " + all);
            assertEquals(EPOCHS, automatic(all).size());
        } finally {
            assertEquals(List.of(), stack.down());
        }
        assertTrue(StackFixture.allStopped(state));
    }

    private static String instanceId(ServiceClient evaluator) {
        for (JsonNode check : evaluator.get("/q/health/live").path("checks")) {
            if ("evaluation-worker".equals(check.path("name").asText())) {
                return check.path("data").path("instance").asText();
            }
        }
        throw new AssertionError("no evaluation-worker liveness check");
    }

    private static List<JsonNode> automatic(JsonNode list) {
        List<JsonNode> automatic = new ArrayList<>();
        list.forEach(e -> {
            if ("training-event".equals(e.path("trigger").asText())) {
                automatic.add(e);
            }
        });
        return automatic;
    }

    private static boolean all(JsonNode list, String status) {
        for (JsonNode e : list) {
            if (!status.equals(e.path("status").asText())) {
                return false;
            }
        }
        return true;
    }

    private static boolean finished(JsonNode evaluation) {
        return List.of("COMPLETED", "FAILED").contains(evaluation.path("status").asText());
    }

    private static JsonNode await(java.util.function.Supplier<JsonNode> read, Predicate<JsonNode> done, String what) {
        return StackFixture.await(read, done, Duration.ofMinutes(8), Duration.ofMillis(500), what);
    }
}
