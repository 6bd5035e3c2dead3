package io.signstream.trainer.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.signstream.checkpoint.CheckpointStore;
import io.signstream.contract.FeatureLayout;
import io.signstream.contract.FeatureSampleCodec;
import io.signstream.contract.FeatureTensor;
import io.signstream.contract.Topics;
import io.signstream.contract.events.EventJson;
import io.signstream.contract.events.TrainingEvent;
import io.signstream.contract.proto.FeatureSample;
import io.signstream.contract.proto.Split;
import io.signstream.featurestream.FeatureStreamConfig;
import io.signstream.localstack.KafkaBroker;
import io.signstream.localstack.LocalStack;
import io.signstream.localstack.TopicLayout;
import io.signstream.localstack.TopicProbe;
import io.signstream.teacher.TeacherConfig;
import io.signstream.teacher.TeacherSession;
import io.signstream.trainer.NormalizedFixture;
import io.signstream.trainer.messaging.EpochReader;
import io.signstream.trainer.BrokerTrainingEvents;
import io.signstream.trainer.storage.RunRepository;
import io.signstream.trainer.storage.TrainingCheckpoints;

/**
 * On the real broker and S3 server: a train split where 2 of 10 samples (20%) cannot be aligned at stride 16 (3
 * glosses in 20 frames: 2 outputs) but all can at stride 4. A stride-16 run under the default 5% limit is refused at
 * its scan (FAILED, UNALIGNABLE_SAMPLES, naming the share and stride 4); with a 25% limit it trains, skipping the
 * two, and its status and events carry the count.
 */
class UnalignableSamplesRunTest {

    private static final String TOPIC = "features.normalized.unalignable-test";
    private static final TeacherConfig STRIDE_16 = TeacherConfig.small().withTemporalStride(16);

    private static LocalStack stack;

    @BeforeAll
    static void publish() throws Exception {
        stack = LocalStack.shared();
        KafkaBroker.ensureTopics(stack.bootstrapServers(), List.of(new TopicLayout.TopicSpec(TOPIC, 1,
                Map.of("max.message.bytes", String.valueOf(TopicLayout.MAX_MESSAGE_BYTES)))));
        Random random = new Random(5);
        List<String> glosses = List.of("A", "B", "C", "D", "E");
        try (KafkaProducer<String, byte[]> producer = new TopicProbe(stack.bootstrapServers()).producer()) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                boolean shortSample = i % 5 == 4;
                int frames = shortSample ? 20 : 40;
                List<String> annotation = shortSample ? List.of("A", "C", "E")
                        : List.of(glosses.get(i % 5), glosses.get((i + 2) % 5));
                float[] x = new float[frames * FeatureLayout.DIMS];
                for (int k = 0; k < x.length; k++) {
                    x[k] = (float) random.nextGaussian();
                }
                String id = "unalignable-test-" + i;
                FeatureSample raw = FeatureSample.newBuilder().setSampleId(id).setSplit(Split.TRAIN)
                        .addAllGlosses(annotation).setFrameCount(frames).setFeatureDims(FeatureLayout.DIMS)
                        .setFeatures(FeatureTensor.toBytes(x)).setSigner("signer-1").setSource("test").build();
                sent.add(producer.send(new ProducerRecord<>(TOPIC, id,
                        FeatureSampleCodec.encode(NormalizedFixture.normalize(raw)))));
            }
            for (Future<RecordMetadata> future : sent) {
                future.get();
            }
        }
    }

    private static TrainingRun.Environment environment(BrokerTrainingEvents events) {
        CheckpointStore store = new CheckpointStore(stack.objectStore().client(), LocalStack.DEFAULT_BUCKET);
        return new TrainingRun.Environment(FeatureStreamConfig.of(stack.bootstrapServers()).withTopic(TOPIC),
                new TrainingCheckpoints(store), new RunRepository(stack.objectStore().client(), LocalStack.DEFAULT_BUCKET),
                events, new EpochReader.Settings(8, 2, 2), 1, TeacherSession::create);
    }

    private static List<TrainingEvent> events(String runId, TrainingEvent.Type until) {
        return new TopicProbe(stack.bootstrapServers()).readUntil(Topics.TRAINING_EVENTS,
                records -> records.stream().anyMatch(r -> runId.equals(r.key())
                        && EventJson.read(r.value(), TrainingEvent.class).type() == until),
                Duration.ofSeconds(30)).stream()
                .filter(r -> runId.equals(r.key())).map(ConsumerRecord::value)
                .map(v -> EventJson.read(v, TrainingEvent.class)).toList();
    }

    private static RunState await(RunManager manager, String runId) throws InterruptedException {
        TrainingRun run = manager.active().orElseThrow();
        assertTrue(run.awaitTermination(180, TimeUnit.SECONDS), "run " + runId + " ends");
        return run.snapshot();
    }

    @Test
    void aRunOverTheLimitIsRefusedAtItsScanNamingTheShareAndAStrideThatFits() throws Exception {
        try (BrokerTrainingEvents events = new BrokerTrainingEvents(stack.bootstrapServers(), Topics.TRAINING_EVENTS)) {
            TrainingRun.Environment env = environment(events);
            RunManager manager = new RunManager(env);
            String runId = "unalignable-" + UUID.randomUUID().toString().substring(0, 8);
            manager.start(runId, new RunOptions(1, 4, 3e-3f, 1, 3L, "small", STRIDE_16, 600, 5));
            RunState failed = await(manager, runId);

            assertEquals(RunStatus.FAILED, failed.status(), failed.message());
            assertEquals(Feasibility.UNALIGNABLE_SAMPLES, failed.reason());
            assertTrue(failed.message().contains("2 of 10 train samples (20.0%) cannot be aligned at temporalStride 16"),
                    failed.message());
            assertTrue(failed.message().contains("5.0%") && failed.message().contains("\"temporalStride\": 4"),
                    failed.message());
            Feasibility feasibility = failed.feasibility();
            assertEquals(16, feasibility.temporalStride());
            assertEquals(10, feasibility.samples());
            assertEquals(2, feasibility.unalignable());
            assertEquals(Map.of(1, 0L, 4, 0L, 16, 2L), feasibility.unalignableByStride());
            assertEquals(4, feasibility.fittingStride());
            assertNull(failed.lastCheckpoint(), "no step was trained");

            RunState stored = env.runs().find(runId).orElseThrow();
            assertEquals(RunStatus.FAILED, stored.status());
            assertEquals(Feasibility.UNALIGNABLE_SAMPLES, stored.reason());
            assertEquals(feasibility, stored.feasibility());

            TrainingEvent event = events(runId, TrainingEvent.Type.RUN_FAILED).stream()
                    .filter(e -> e.type() == TrainingEvent.Type.RUN_FAILED).findFirst().orElseThrow();
            assertEquals(2.0, event.metrics().get("unalignable_samples"));
            assertEquals(0.2, event.metrics().get("unalignable_share"), 1e-9);
            assertEquals(16.0, event.metrics().get("temporal_stride"));
            assertTrue(event.message().contains("20.0%"), event.message());
        }
    }

    @Test
    void aRunWithinItsLimitTrainsAndReportsTheCount() throws Exception {
        try (BrokerTrainingEvents events = new BrokerTrainingEvents(stack.bootstrapServers(), Topics.TRAINING_EVENTS)) {
            TrainingRun.Environment env = environment(events);
            RunManager manager = new RunManager(env);
            String runId = "alignable-" + UUID.randomUUID().toString().substring(0, 8);
            manager.start(runId, new RunOptions(1, 4, 3e-3f, 1, 3L, "small", STRIDE_16, 600, 5, 0.25));
            RunState done = await(manager, runId);

            assertEquals(RunStatus.COMPLETED, done.status(), done.message());
            assertNull(done.reason());
            assertNotNull(done.feasibility());
            assertEquals(2, done.feasibility().unalignable());
            assertEquals(0.2, done.feasibility().unalignableShare(), 1e-9);
            assertEquals(0.25, done.feasibility().maxUnalignableShare(), 1e-9);
            assertEquals(Map.of(SamplePreparer.TOO_SHORT_FOR_GLOSSES, 2L), done.skippedSamples(),
                    "the epoch skipped the two, at the run's stride");
            assertEquals(2, done.stepsPerEpoch(), "8 samples at batch 4");
            assertEquals(done.feasibility(), env.runs().find(runId).orElseThrow().feasibility());

            List<TrainingEvent> announced = events(runId, TrainingEvent.Type.RUN_COMPLETED);
            TrainingEvent checkpoint = announced.stream().filter(e -> e.type() == TrainingEvent.Type.CHECKPOINT_WRITTEN)
                    .findFirst().orElseThrow();
            assertEquals(2.0, checkpoint.metrics().get("unalignable_samples"));
            assertEquals(2.0, checkpoint.metrics().get("skipped_samples"));
            assertEquals(16.0, checkpoint.metrics().get("temporal_stride"));
            assertTrue(announced.stream().anyMatch(e -> e.type() == TrainingEvent.Type.RUN_STARTED
                    && e.message().contains("temporalStride 16")), announced.toString());
        }
    }
}
