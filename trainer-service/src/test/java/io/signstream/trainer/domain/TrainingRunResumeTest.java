package io.signstream.trainer.domain;

import io.signstream.contract.NormalizationStamps;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.signstream.checkpoint.CheckpointFiles;
import io.signstream.checkpoint.CheckpointManifest;
import io.signstream.checkpoint.CheckpointRef;
import io.signstream.checkpoint.CheckpointStore;
import io.signstream.contract.Topics;
import io.signstream.contract.events.EventJson;
import io.signstream.contract.events.TrainingEvent;
import io.signstream.featurestream.FeatureStreamConfig;
import io.signstream.featurestream.SplitCache;
import io.signstream.localstack.LocalStack;
import io.signstream.localstack.TopicProbe;
import io.signstream.teacher.TeacherConfig;
import io.signstream.teacher.TeacherSession;
import io.signstream.trainer.NormalizedFixture;
import io.signstream.trainer.messaging.EpochReader;
import io.signstream.trainer.BrokerTrainingEvents;
import io.signstream.trainer.storage.RunRepository;
import io.signstream.trainer.storage.TrainingCheckpoints;

/**
 * Kill and restart: a run on the real broker and S3 server is halted right after a checkpoint (nothing more
 * written, as when the pod dies); a new driver, found through run.json like a restarted trainer finds it, resumes
 * from the latest complete checkpoint, not from epoch 1, with the stored vocabulary.
 */
class TrainingRunResumeTest {

    private List<Path> cachedFiles() throws java.io.IOException {
        try (var paths = Files.walk(cacheRoot)) {
            return paths.filter(Files::isRegularFile).toList();
        }
    }

    private static final String TOPIC = "features.normalized.resume-test";

    @TempDir
    Path cacheRoot;

    @Test
    void haltedRunResumesFromItsLatestCompleteCheckpoint() throws Exception {
        LocalStack stack = LocalStack.shared();
        NormalizedFixture.publish(stack.bootstrapServers(), TOPIC);
        CheckpointStore store = new CheckpointStore(stack.objectStore().client(), LocalStack.DEFAULT_BUCKET);
        RunRepository runs = new RunRepository(stack.objectStore().client(), LocalStack.DEFAULT_BUCKET);
        String runId = "resume-" + UUID.randomUUID().toString().substring(0, 8);
        RunOptions options = new RunOptions(3, 4, 3e-3f, 2, 7L, "small", TeacherConfig.small(), 600, 5);

        try (BrokerTrainingEvents events = new BrokerTrainingEvents(stack.bootstrapServers(), Topics.TRAINING_EVENTS)) {
            TrainingRun.Environment env = new TrainingRun.Environment(
                    FeatureStreamConfig.of(stack.bootstrapServers()).withTopic(TOPIC),
                    new TrainingCheckpoints(store), runs, events, new EpochReader.Settings(8, 2, 2,
                            new SplitCache.Settings(cacheRoot, 1L << 30)), 1,
                    TeacherSession::create);

            TrainingRun first = TrainingRun.create(runId, options, env);
            runs.save(first.snapshot());
            first.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
            while (first.snapshot().lastCheckpointEpoch() == null && first.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertNotNull(first.snapshot().lastCheckpointEpoch(), "a first checkpoint: " + first.snapshot().message());
            first.halt();
            assertTrue(first.awaitTermination(60, TimeUnit.SECONDS), "the halted run thread ends");
            assertEquals(List.of(), cachedFiles(), "the halted run's epoch cache is deleted");

            RunState afterCrash = runs.find(runId).orElseThrow();
            assertEquals(RunStatus.RUNNING, afterCrash.status(), "a crash writes no final status");
            CheckpointManifest latest = store.latest(runId).orElseThrow();
            assertTrue(latest.epoch() >= 1 && latest.epoch() < options.epochs(), "crashed mid-run at " + latest.epoch());
            byte[] vocabularyAtCrash = store.read(latest.ref(), CheckpointFiles.VOCABULARY);

            // a restarted trainer: a new manager over the same bucket finds the RUNNING run and resumes it
            RunManager restarted = new RunManager(env);
            RunState resumed = restarted.resumeInterrupted().orElseThrow();
            assertEquals(runId, resumed.runId());
            TrainingRun second = restarted.active().orElseThrow();
            assertTrue(second.awaitTermination(240, TimeUnit.SECONDS), "the resumed run finishes");

            RunState done = second.snapshot();
            assertEquals(RunStatus.COMPLETED, done.status(), done.message());
            assertEquals(latest.epoch(), done.resumedFromEpoch(), "resumed from the latest complete checkpoint");
            assertEquals(options.epochs(), done.epochLosses().size(), "one loss per epoch across both attempts");
            assertEquals((long) options.epochs() * done.stepsPerEpoch(), done.step(), "the schedule continued");
            assertTrue(done.epochLosses().get(done.epochLosses().size() - 1) < done.epochLosses().get(0),
                    "loss fell: " + done.epochLosses());
            assertEquals(1L, done.refusedRecords().get("NOT_NORMALIZED"), "the unstamped record was refused");
            assertEquals(List.of(1, 2, 3), store.list(runId).stream().map(CheckpointManifest::epoch).toList());
            assertArrayEquals(vocabularyAtCrash, store.read(new CheckpointRef(runId, 3), CheckpointFiles.VOCABULARY),
                    "the vocabulary is the stored one, never rebuilt");
            assertEquals(RunStatus.COMPLETED, runs.find(runId).orElseThrow().status());

            List<TrainingEvent> announced = new TopicProbe(stack.bootstrapServers()).readUntil(Topics.TRAINING_EVENTS,
                    records -> records.stream().filter(r -> runId.equals(r.key()))
                            .anyMatch(r -> EventJson.read(r.value(), TrainingEvent.class).type()
                                    == TrainingEvent.Type.RUN_COMPLETED),
                    Duration.ofSeconds(30)).stream()
                    .filter(r -> runId.equals(r.key()))
                    .map(ConsumerRecord::value).map(v -> EventJson.read(v, TrainingEvent.class)).toList();
            assertTrue(announced.stream().anyMatch(e -> e.type() == TrainingEvent.Type.RUN_STARTED
                    && e.message().contains("resumed")), announced.toString());
            TrainingEvent lastCheckpoint = announced.stream()
                    .filter(e -> e.type() == TrainingEvent.Type.CHECKPOINT_WRITTEN && e.epoch() == 3).findFirst()
                    .orElseThrow();
            assertEquals("runs/" + runId + "/epoch-0003/", lastCheckpoint.checkpointPrefix());
            assertEquals(LocalStack.DEFAULT_BUCKET, lastCheckpoint.bucket());
            assertEquals(NormalizationStamps.describe(NormalizedFixture.STAMP), lastCheckpoint.normalization());
            assertTrue(lastCheckpoint.metrics().containsKey("loss"), lastCheckpoint.metrics().toString());
            // how long the steps waited for their batches: in the status per epoch of this process, and in the event
            InputWait.Report waited = done.inputWait();
            assertEquals(options.epochs() - latest.epoch(), waited.epochs().size(), waited.toString());
            for (InputWait.Epoch epoch : waited.epochs()) {
                assertEquals(done.stepsPerEpoch(), epoch.steps(), epoch.toString());
                assertTrue(epoch.stepSeconds() > 0 && epoch.waitSeconds() >= 0, epoch.toString());
                assertEquals(epoch.waitSeconds() / (epoch.waitSeconds() + epoch.stepSeconds()), epoch.share(), 1e-9);
            }
            assertEquals(waited.epochs().get(waited.epochs().size() - 1).share(),
                    lastCheckpoint.metrics().get("input_wait_share"), 1e-9);
            assertTrue(lastCheckpoint.metrics().get("input_wait_seconds") >= 0, lastCheckpoint.metrics().toString());
            Map<String, Double> metrics = store.manifest(new CheckpointRef(runId, 3)).orElseThrow().metrics();
            assertEquals(3.0, metrics.get("epoch"));
            // each process's first epoch read the broker and filled its cache; its later epochs read the cache only
            for (int epoch = 1; epoch <= options.epochs(); epoch++) {
                Map<String, Double> m = store.manifest(new CheckpointRef(runId, epoch)).orElseThrow().metrics();
                boolean firstOfItsProcess = epoch == 1 || epoch == latest.epoch() + 1;
                double kept = m.get("samples") + m.get("skipped_samples");
                assertEquals(firstOfItsProcess ? 0.0 : kept, m.get("samples_from_cache"), "epoch " + epoch + ": " + m);
            }
            assertEquals(List.of(), cachedFiles(), "the completed run's epoch cache is deleted");
        }
    }
}
