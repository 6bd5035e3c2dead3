package io.signstream.trainer.domain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.signstream.checkpoint.CheckpointDamage;
import io.signstream.checkpoint.CheckpointFiles;
import io.signstream.checkpoint.CheckpointManifest;
import io.signstream.checkpoint.CheckpointRef;
import io.signstream.checkpoint.CheckpointStore;
import io.signstream.contract.Topics;
import io.signstream.contract.events.EventJson;
import io.signstream.contract.events.TrainingEvent;
import io.signstream.featurestream.FeatureStreamConfig;
import io.signstream.localstack.LocalStack;
import io.signstream.localstack.TopicProbe;
import io.signstream.teacher.TeacherConfig;
import io.signstream.teacher.TeacherSession;
import io.signstream.trainer.BrokerTrainingEvents;
import io.signstream.trainer.NormalizedFixture;
import io.signstream.trainer.messaging.EpochReader;
import io.signstream.trainer.storage.RunRepository;
import io.signstream.trainer.storage.TrainingCheckpoints;

/**
 * One flipped bit in the latest checkpoint's parameters.bin, on the real broker and S3 server: the restarted trainer
 * skips that checkpoint (and says so), resumes from the previous intact epoch, trains the damaged epoch again and
 * finishes; run.json never forgets the intact epoch on the way; the damaged checkpoint is marked and kept.
 */
class CheckpointFallbackTest {

    private static final String TOPIC = "features.normalized.fallback-test";

    private static byte[] get(MinioClient client, String object) throws Exception {
        try (InputStream in = client.getObject(GetObjectArgs.builder().bucket(LocalStack.DEFAULT_BUCKET).object(object)
                .build())) {
            return in.readAllBytes();
        }
    }

    private static void put(MinioClient client, String object, byte[] content) throws Exception {
        client.putObject(PutObjectArgs.builder().bucket(LocalStack.DEFAULT_BUCKET).object(object)
                .stream(new ByteArrayInputStream(content), content.length, -1).build());
    }

    @Test
    void aDamagedLatestCheckpointIsSkippedAndTrainingGoesOnFromThePreviousIntactOne() throws Exception {
        LocalStack stack = LocalStack.shared();
        NormalizedFixture.publish(stack.bootstrapServers(), TOPIC);
        MinioClient client = stack.objectStore().client();
        CheckpointStore store = new CheckpointStore(client, LocalStack.DEFAULT_BUCKET);
        RunRepository runs = new RunRepository(client, LocalStack.DEFAULT_BUCKET);
        String runId = "fallback-" + UUID.randomUUID().toString().substring(0, 8);
        int epochs = 4;
        RunOptions options = new RunOptions(epochs, 4, 3e-3f, 2, 7L, "small", TeacherConfig.small(), 600, 5);

        try (BrokerTrainingEvents events = new BrokerTrainingEvents(stack.bootstrapServers(), Topics.TRAINING_EVENTS)) {
            TrainingRun.Environment env = new TrainingRun.Environment(
                    FeatureStreamConfig.of(stack.bootstrapServers()).withTopic(TOPIC),
                    new TrainingCheckpoints(store), runs, events, new EpochReader.Settings(8, 2, 2), 0,
                    TeacherSession::create);

            // train until two checkpoints exist, then die as a pod does (run.json keeps saying RUNNING)
            TrainingRun first = TrainingRun.create(runId, options, env);
            runs.save(first.snapshot());
            first.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
            while ((first.snapshot().lastCheckpointEpoch() == null || first.snapshot().lastCheckpointEpoch() < 2)
                    && first.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            first.halt();
            assertTrue(first.awaitTermination(60, TimeUnit.SECONDS), "the halted run thread ends");
            CheckpointManifest latest = store.latest(runId).orElseThrow();
            int damagedEpoch = latest.epoch();
            assertTrue(damagedEpoch >= 2 && damagedEpoch < epochs, "two checkpoints, run not finished: " + damagedEpoch);
            RunState beforeResume = runs.find(runId).orElseThrow();
            assertEquals(RunStatus.RUNNING, beforeResume.status());
            // halted right after the checkpoint, run.json may not have caught up with it (as after a real crash)
            assertNotNull(beforeResume.lastCheckpointEpoch());
            assertTrue(beforeResume.lastCheckpointEpoch() >= damagedEpoch - 1, beforeResume.toString());

            // one bit flipped in the latest checkpoint's parameters: same size, only SHA-256 can tell
            CheckpointRef damagedRef = latest.ref();
            byte[] tampered = get(client, damagedRef.object(CheckpointFiles.PARAMETERS));
            tampered[tampered.length / 2] ^= 0x10;
            put(client, damagedRef.object(CheckpointFiles.PARAMETERS), tampered);

            // a restarted trainer finds the RUNNING run and resumes it
            RunManager restarted = new RunManager(env);
            restarted.resumeInterrupted().orElseThrow();
            TrainingRun second = restarted.active().orElseThrow();
            // run.json as others see it while the run restores and trains: never back at epoch 0 or without checkpoint
            List<RunState> seen = new ArrayList<>();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
            while (second.isAlive() && System.nanoTime() < until) {
                runs.find(runId).ifPresent(seen::add);
                Thread.sleep(100);
            }
            assertTrue(second.awaitTermination(10, TimeUnit.SECONDS), "the resumed run finishes");

            RunState done = second.snapshot();
            assertEquals(RunStatus.COMPLETED, done.status(), done.message());
            assertEquals(damagedEpoch - 1, done.resumedFromEpoch(), "fell back to the previous intact checkpoint");
            assertEquals(1, done.skippedCheckpoints().size(), done.skippedCheckpoints().toString());
            CheckpointDamage skipped = done.skippedCheckpoints().get(0);
            assertEquals(damagedEpoch, skipped.epoch());
            assertEquals(CheckpointFiles.PARAMETERS, skipped.file());
            assertTrue(skipped.detail().contains("SHA-256"), skipped.detail());
            assertEquals(TrainingCheckpoints.DETECTED_BY, skipped.detectedBy());
            // training went on from the intact epoch: every epoch once in the history, the schedule continued
            assertEquals(epochs, done.epochLosses().size(), done.epochLosses().toString());
            assertEquals((long) epochs * done.stepsPerEpoch(), done.step());
            assertEquals(epochs, done.lastCheckpointEpoch());

            assertTrue(!seen.isEmpty());
            for (RunState s : seen) {
                assertTrue(s.status() != RunStatus.FAILED, "run.json said FAILED: " + s.message());
                assertNotNull(s.lastCheckpointEpoch(), "run.json lost its checkpoint: " + s.message());
                assertTrue(s.lastCheckpointEpoch() >= damagedEpoch - 1 && s.epoch() >= damagedEpoch - 1,
                        "run.json went back to epoch " + s.epoch() + " / checkpoint " + s.lastCheckpointEpoch());
            }
            RunState stored = runs.find(runId).orElseThrow();
            assertEquals(RunStatus.COMPLETED, stored.status());
            assertEquals(epochs, stored.lastCheckpointEpoch());
            assertEquals(damagedEpoch, stored.skippedCheckpoints().get(0).epoch());

            // the damaged epoch was trained again; the damaged checkpoint was kept, with its marker, in the quarantine
            assertEquals(List.of(1, 2, 3, 4), store.list(runId).stream().map(CheckpointManifest::epoch).toList());
            assertEquals(epochs, store.newestIntact(runId, "test").orElseThrow().epoch());
            assertTrue(store.newestIntact(runId, "test").orElseThrow().skipped().isEmpty());
            assertTrue(store.damage(damagedRef).isEmpty(), "the rewritten epoch is intact and unmarked");
            List<CheckpointDamage> quarantined = store.quarantined(runId);
            assertEquals(1, quarantined.size());
            assertEquals(damagedEpoch, quarantined.get(0).epoch());
            assertArrayEquals(tampered, get(client, quarantined.get(0).quarantine() + CheckpointFiles.PARAMETERS));
            assertEquals(latest, CheckpointManifest.fromJson(get(client,
                    quarantined.get(0).quarantine() + CheckpointFiles.MANIFEST)));

            // the resume said so on training.events
            List<TrainingEvent> announced = new TopicProbe(stack.bootstrapServers()).readUntil(Topics.TRAINING_EVENTS,
                    records -> records.stream().filter(r -> runId.equals(r.key()))
                            .anyMatch(r -> EventJson.read(r.value(), TrainingEvent.class).type()
                                    == TrainingEvent.Type.RUN_COMPLETED),
                    Duration.ofSeconds(30)).stream()
                    .filter(r -> runId.equals(r.key()))
                    .map(ConsumerRecord::value).map(v -> EventJson.read(v, TrainingEvent.class)).toList();
            TrainingEvent resumed = announced.stream().filter(e -> e.type() == TrainingEvent.Type.RUN_STARTED
                    && e.message().contains("resumed")).findFirst().orElseThrow(() -> new AssertionError(announced));
            assertEquals(damagedEpoch - 1, resumed.epoch());
            assertEquals((double) damagedEpoch, resumed.metrics().get("skipped_checkpoint_epoch"));
            assertTrue(resumed.message().contains("epoch " + damagedEpoch + " (parameters.bin"), resumed.message());
            assertEquals(2, announced.stream().filter(e -> e.type() == TrainingEvent.Type.CHECKPOINT_WRITTEN
                    && e.epoch() == damagedEpoch).count(), "the damaged epoch was written and announced again");
        }
    }
}
