package io.signstream.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.minio.MinioClient;
import io.signstream.contract.FeatureSampleCodec;
import io.signstream.contract.Topics;
import io.signstream.contract.proto.FeatureSample;
import io.signstream.contract.proto.Split;
import io.signstream.localstack.TopicProbe;
import io.signstream.localstack.synthetic.SyntheticDataset;
import io.signstream.localstack.synthetic.SyntheticOptions;

/**
 * The trainer as a real process, killed with SIGKILL in the middle of a run and started again: the new process
 * finds the run still marked RUNNING, resumes it from its last complete checkpoint and finishes it.
 */
class TrainerCrashTest {

    private static final int EPOCHS = 24;

    @Test
    void killedTrainerResumesTheRunFromItsLastCheckpoint() throws Exception {
        Stack stack = new Stack(StackFixture.isolatedSettings(), new Progress(System.out));
        StackState state = stack.up(EnumSet.of(ServiceSpec.NORMALIZATION, ServiceSpec.TRAINER));
        try {
            List<FeatureSample> train = new SyntheticDataset(SyntheticOptions.tiny()).featureSamples(Split.TRAIN);
            TopicProbe probe = new TopicProbe(state.bootstrapServers());
            try (KafkaProducer<String, byte[]> producer = probe.producer()) {
                for (FeatureSample sample : train) {
                    producer.send(new ProducerRecord<>(Topics.FEATURES_RAW, sample.getSampleId(),
                            FeatureSampleCodec.encode(sample))).get(30, TimeUnit.SECONDS);
                }
            }
            probe.readUntil(Topics.FEATURES_NORMALIZED_TRAIN, records -> records.size() >= train.size(), Duration.ofSeconds(60));

            ServiceClient trainer = state.client(ServiceSpec.TRAINER);
            String runId = "crash-" + System.nanoTime();
            trainer.post("/runs", Map.of("runId", runId, "model", "small", "epochs", EPOCHS, "batchSize", 4,
                    "learningRate", 3e-3, "seed", 5));
            JsonNode beforeCrash = await(trainer, runId, run -> run.path("lastCheckpointEpoch").asInt(0) >= 1);
            assertEquals("RUNNING", beforeCrash.path("status").asText(), "killed in the middle of the run");

            ProcessHandle trainerProcess = ProcessHandle.of(state.processes().get(ServiceSpec.TRAINER.module())).orElseThrow();
            trainerProcess.destroyForcibly();
            trainerProcess.onExit().get(30, TimeUnit.SECONDS);
            int checkpointAtCrash = lastCompleteCheckpoint(state, runId);
            assertTrue(checkpointAtCrash >= 1 && checkpointAtCrash < EPOCHS, "crashed after epoch " + checkpointAtCrash);

            state = stack.restart(ServiceSpec.TRAINER);
            trainer = state.client(ServiceSpec.TRAINER);
            JsonNode finished = await(trainer, runId, run -> List.of("COMPLETED", "FAILED", "STOPPED")
                    .contains(run.path("status").asText()));

            assertEquals("COMPLETED", finished.path("status").asText(), finished.toString());
            int resumedFrom = finished.path("resumedFromEpoch").asInt(-1);
            assertTrue(resumedFrom >= checkpointAtCrash && resumedFrom < EPOCHS,
                    "resumed from epoch " + resumedFrom + ", checkpoint at the crash was " + checkpointAtCrash);
            assertEquals(EPOCHS, finished.path("epochLosses").size(), "loss history restored and continued");
            assertEquals(EPOCHS, lastCompleteCheckpoint(state, runId));
        } finally {
            assertEquals(List.of(), stack.down());
        }
        assertTrue(StackFixture.allStopped(state));
        assertFalse(stack.isUp());
    }

    private static JsonNode await(ServiceClient trainer, String runId, java.util.function.Predicate<JsonNode> done) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (System.nanoTime() < deadline) {
            JsonNode run = trainer.get("/runs/" + runId);
            if (done.test(run)) {
                return run;
            }
            Stack.sleep(100);
        }
        throw new AssertionError("run " + runId + " did not get there in 5 minutes: " + trainer.get("/runs/" + runId));
    }

    /** The newest epoch whose manifest is in the bucket (a checkpoint without one does not exist). */
    private static int lastCompleteCheckpoint(StackState state, String runId) {
        MinioClient client = MinioClient.builder().endpoint(state.objectStoreEndpoint())
                .credentials(state.accessKey(), state.secretKey()).build();
        return new io.signstream.checkpoint.CheckpointStore(client, state.bucket()).latest(runId)
                .map(io.signstream.checkpoint.CheckpointManifest::epoch).orElse(0);
    }
}
