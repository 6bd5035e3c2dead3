package io.signstream.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;

import io.minio.MinioClient;
import io.signstream.checkpoint.CheckpointManifest;
import io.signstream.checkpoint.CheckpointRef;
import io.signstream.checkpoint.CheckpointStore;
import io.signstream.contract.FeatureSampleCodec;
import io.signstream.contract.Topics;
import io.signstream.contract.proto.FeatureSample;
import io.signstream.contract.proto.Split;
import io.signstream.localstack.TopicProbe;
import io.signstream.localstack.synthetic.SyntheticDataset;
import io.signstream.localstack.synthetic.SyntheticOptions;

/**
 * Two trainer processes sharing the run queue, on a real broker and S3Proxy: runs are taken one at a time per
 * process, every checkpoint manifest names the process and ownership generation that wrote it, a paused owner
 * (SIGSTOP) that lost its run cannot write once continued, and a killed owner's run completes on the other process
 * from its last checkpoint. One stack for the class (the three cases in order, the kill last).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TrainerQueueTest {

    private static final Set<String> ENDED = Set.of("COMPLETED", "FAILED", "STOPPED");
    /**
     * Short lease and session so that a take-over happens within seconds; patient reads, because this stack (two
     * trainers, normalization, broker, S3Proxy) shares two CPU cores with whatever else the machine runs.
     */
    private static final Map<String, String> FAST_FAILOVER = Map.of(
            "SIGNSTREAM_TRAINER_LEASE_DURATION", "6s",
            "SIGNSTREAM_TRAINER_LEASE_RENEW_EVERY", "1s",
            "SIGNSTREAM_TRAINER_QUEUE_SESSION_TIMEOUT", "6s",
            "SIGNSTREAM_TRAINER_QUEUE_CHECK_INTERVAL", "1s",
            "SIGNSTREAM_TRAINER_STALL_TIMEOUT", "5m",
            "SIGNSTREAM_OBJECT_STORE_RETRY_REQUEST_DEADLINE", "20s");

    private LauncherSettings settings;
    private Stack stack;
    private StackState state;
    private CheckpointStore checkpoints;

    @BeforeAll
    void startTwoTrainers() throws Exception {
        settings = StackFixture.isolatedSettings(FAST_FAILOVER);
        stack = new Stack(settings, new Progress(System.out));
        state = stack.up(EnumSet.of(ServiceSpec.NORMALIZATION, ServiceSpec.TRAINER), 2);
        assertEquals(2, state.copies(ServiceSpec.TRAINER));
        List<FeatureSample> train = new SyntheticDataset(SyntheticOptions.tiny()).featureSamples(Split.TRAIN);
        TopicProbe probe = new TopicProbe(state.bootstrapServers());
        try (KafkaProducer<String, byte[]> producer = probe.producer()) {
            for (FeatureSample sample : train) {
                producer.send(new ProducerRecord<>(Topics.FEATURES_RAW, sample.getSampleId(),
                        FeatureSampleCodec.encode(sample))).get(30, TimeUnit.SECONDS);
            }
        }
        probe.readUntil(Topics.FEATURES_NORMALIZED_TRAIN, records -> records.size() >= train.size(), Duration.ofSeconds(90));
        MinioClient client = MinioClient.builder().endpoint(state.objectStoreEndpoint())
                .credentials(state.accessKey(), state.secretKey()).build();
        checkpoints = new CheckpointStore(client, state.bucket());
    }

    @AfterAll
    void stopStack() {
        if (stack != null) {
            // everything this stack started, also when it failed half-way up (no stack.json yet)
            stack.stopStarted();
            assertTrue(state == null || StackFixture.allStopped(state));
        }
    }

    @Test
    @Order(1)
    void threeRunsOnTwoTrainersAllCompleteEachTrainedByOneProcessAtATime() {
        ServiceClient first = state.client(ServiceSpec.TRAINER, 1);
        ServiceClient second = state.client(ServiceSpec.TRAINER, 2);
        List<String> runIds = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String runId = "queued-" + i + "-" + System.nanoTime();
            JsonNode queued = submit(i % 2 == 0 ? first : second, runId, 2);
            assertEquals("QUEUED", queued.path("status").asText(), queued.toString());
            runIds.add(runId);
        }

        Map<String, List<CheckpointManifest>> manifests = new HashMap<>();
        for (String runId : runIds) {
            JsonNode finished = await(second, runId, run -> ENDED.contains(run.path("status").asText()), 8);
            assertEquals("COMPLETED", finished.path("status").asText(), finished.toString());
            assertEquals(finished, first.get("/runs/" + runId), "every trainer answers the same, from the bucket");
            List<CheckpointManifest> written = checkpoints.list(runId);
            assertEquals(2, written.size(), runId + ": " + written);
            for (CheckpointManifest manifest : written) {
                assertNotNull(manifest.writer(), "the manifest names its writer: " + manifest);
                assertEquals(finished.path("owner").asText(), manifest.writer().owner());
                assertEquals(1, manifest.writer().generation(), "nobody else ever owned " + runId);
            }
            manifests.put(runId, written);
        }
        // one run at a time per process: the checkpoint times of two runs of one owner never interleave
        Map<String, List<long[]>> spansByOwner = new HashMap<>();
        manifests.values().forEach(written -> spansByOwner.computeIfAbsent(written.get(0).writer().owner(),
                owner -> new ArrayList<>()).add(new long[] {written.get(0).createdAtEpochMs(),
                        written.get(written.size() - 1).createdAtEpochMs()}));
        assertEquals(2, spansByOwner.size(), "both trainers took runs: " + spansByOwner.keySet());
        spansByOwner.forEach((owner, spans) -> {
            spans.sort(Comparator.comparingLong(span -> span[0]));
            for (int i = 1; i < spans.size(); i++) {
                assertTrue(spans.get(i)[0] > spans.get(i - 1)[1], owner + " trained two runs at once");
            }
        });
    }

    @Test
    @Order(2)
    void pausedOwnerThatLostItsRunCannotWriteAndItsSuccessorsCheckpointsStayIntact() throws Exception {
        int epochs = 40;
        ServiceClient first = state.client(ServiceSpec.TRAINER, 1);
        String runId = "paused-" + System.nanoTime();
        submit(first, runId, epochs);
        JsonNode running = await(first, runId, run -> run.path("lastCheckpointEpoch").asInt(0) >= 1
                && "RUNNING".equals(run.path("status").asText()), 5);
        String pausedOwner = running.path("owner").asText();
        int pausedIndex = indexOf(pausedOwner);
        ServiceClient other = state.client(ServiceSpec.TRAINER, 3 - pausedIndex);

        signal("STOP", state.pid(ServiceSpec.TRAINER, pausedIndex));
        JsonNode takenOver;
        try {
            int checkpointAtPause = checkpoints.latest(runId).map(CheckpointManifest::epoch).orElseThrow();
            takenOver = await(other, runId, run -> !pausedOwner.equals(run.path("owner").asText())
                    && run.path("lastCheckpointEpoch").asInt(0) > checkpointAtPause, 5);
            assertTrue(takenOver.path("ownerGeneration").asLong() >= 2, takenOver.toString());
        } finally {
            signal("CONT", state.pid(ServiceSpec.TRAINER, pausedIndex));
        }

        JsonNode finished = await(other, runId, run -> ENDED.contains(run.path("status").asText()), 8);
        assertEquals("COMPLETED", finished.path("status").asText(), finished.toString());
        assertEquals(takenOver.path("owner").asText(), finished.path("owner").asText());
        assertEquals(epochs, finished.path("epochLosses").size(), "loss history restored and continued");
        Path pausedLog = settings.home().resolve("logs").resolve(ServiceSpec.TRAINER.processName(pausedIndex) + ".log");
        awaitTrue(() -> Files.readString(pausedLog).contains("run " + runId + ": OWNERSHIP LOST"),
                "the continued owner gives the run up: " + pausedLog);

        assertHandOversNeverInterleave(runId, epochs);
        for (int epoch = 1; epoch <= epochs; epoch++) {
            assertEquals(java.util.Optional.empty(), checkpoints.inspect(new CheckpointRef(runId, epoch), "test"),
                    "checkpoint of epoch " + epoch + " is intact");
        }
    }

    @Test
    @Order(3)
    void killedOwnersRunCompletesOnTheOtherTrainerFromItsLastCheckpoint() throws Exception {
        int epochs = 30;
        ServiceClient first = state.client(ServiceSpec.TRAINER, 1);
        String runId = "killed-" + System.nanoTime();
        submit(first, runId, epochs);
        JsonNode running = await(first, runId, run -> run.path("lastCheckpointEpoch").asInt(0) >= 1
                && "RUNNING".equals(run.path("status").asText()), 5);
        String killedOwner = running.path("owner").asText();
        int killedIndex = indexOf(killedOwner);
        ServiceClient survivor = state.client(ServiceSpec.TRAINER, 3 - killedIndex);

        ProcessHandle process = ProcessHandle.of(state.pid(ServiceSpec.TRAINER, killedIndex)).orElseThrow();
        process.destroyForcibly();
        process.onExit().get(30, TimeUnit.SECONDS);
        int checkpointAtCrash = checkpoints.latest(runId).map(CheckpointManifest::epoch).orElseThrow();
        assertTrue(checkpointAtCrash >= 1 && checkpointAtCrash < epochs, "killed after epoch " + checkpointAtCrash);

        JsonNode finished = await(survivor, runId, run -> ENDED.contains(run.path("status").asText()), 8);
        assertEquals("COMPLETED", finished.path("status").asText(), finished.toString());
        assertNotEquals(killedOwner, finished.path("owner").asText());
        int resumedFrom = finished.path("resumedFromEpoch").asInt(-1);
        assertTrue(resumedFrom >= checkpointAtCrash && resumedFrom < epochs,
                "resumed from epoch " + resumedFrom + ", checkpoint at the kill was " + checkpointAtCrash);
        assertEquals(epochs, finished.path("epochLosses").size(), "loss history restored and continued");
        assertEquals(epochs, checkpoints.latest(runId).orElseThrow().epoch());
        assertHandOversNeverInterleave(runId, epochs);
    }

    /**
     * In the order they were written, the manifests of a run go from one owner generation to the next and never
     * back: no owner wrote after its successor started writing.
     */
    private void assertHandOversNeverInterleave(String runId, int epochs) {
        List<CheckpointManifest> written = new ArrayList<>(checkpoints.list(runId));
        assertEquals(epochs, written.size());
        written.sort(Comparator.comparingLong(CheckpointManifest::createdAtEpochMs));
        TreeSet<Long> generations = new TreeSet<>();
        long previous = 0;
        for (CheckpointManifest manifest : written) {
            assertNotNull(manifest.writer(), manifest.toString());
            assertTrue(manifest.writer().generation() >= previous, "generation " + manifest.writer().generation()
                    + " wrote epoch " + manifest.epoch() + " after generation " + previous + " had written");
            previous = manifest.writer().generation();
            generations.add(previous);
        }
        assertTrue(generations.size() >= 2, "the run changed owners: " + generations);
    }

    private static JsonNode submit(ServiceClient trainer, String runId, int epochs) {
        return trainer.post("/runs", Map.of("runId", runId, "model", "small", "epochs", epochs, "batchSize", 4,
                "learningRate", 3e-3, "seed", 5));
    }

    /** Which trainer copy (1 or 2) an owner id names: the id ends with the process's pid. */
    private int indexOf(String owner) {
        long pid = Long.parseLong(owner.substring(owner.lastIndexOf('-') + 1));
        for (int index = 1; index <= 2; index++) {
            if (state.pid(ServiceSpec.TRAINER, index) == pid) {
                return index;
            }
        }
        throw new AssertionError("owner " + owner + " is none of the stack's trainers " + state.processes());
    }

    private static void signal(String signal, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).inheritIO().start();
        assertEquals(0, kill.waitFor(), "kill -" + signal + " " + pid);
    }

    private static JsonNode await(ServiceClient trainer, String runId, Predicate<JsonNode> done, int minutes) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(minutes);
        while (System.nanoTime() < deadline) {
            JsonNode run;
            try {
                run = trainer.get("/runs/" + runId);
            } catch (IllegalStateException e) {
                // a 503 while the loaded machine keeps S3Proxy from answering in time: ask again
                if (!e.getMessage().contains("answered 503")) {
                    throw e;
                }
                Stack.sleep(1000);
                continue;
            }
            if (done.test(run)) {
                return run;
            }
            Stack.sleep(200);
        }
        throw new AssertionError("run " + runId + " did not get there in " + minutes + " minutes: "
                + trainer.get("/runs/" + runId));
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    private static void awaitTrue(Check check, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!check.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what);
            }
            Stack.sleep(500);
        }
    }
}
