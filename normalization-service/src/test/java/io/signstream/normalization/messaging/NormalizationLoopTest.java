package io.signstream.normalization.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.signstream.contract.FeatureSampleCodec;
import io.signstream.contract.SampleValidator;
import io.signstream.contract.proto.NormalizationStamp;
import io.signstream.localstack.LocalStack;
import io.signstream.localstack.TopicLayout;
import io.signstream.localstack.TopicProbe;
import io.signstream.normalization.TestSamples;
import io.signstream.featurenormalization.PerChannelZScore;
import io.signstream.normalization.domain.SampleNormalizer;

/** The loop on its own, on topics of its own: what happens when the output cannot be written. */
class NormalizationLoopTest {

    private final LocalStack stack = LocalStack.shared();
    private final TopicProbe probe = new TopicProbe(stack.bootstrapServers());

    @Test
    void commitsNothingWhileTheOutputIsNotAcknowledgedAndDeliversOnceItCanBe() throws Exception {
        String suffix = TestSamples.uniqueId("alo");
        String source = "test.raw." + suffix;
        String output = "test.normalized." + suffix;
        String rejected = "test.rejected." + suffix;
        String group = "test-group-" + suffix;
        try (Admin admin = stack.kafka().admin()) {
            // The output topic does not exist yet (the broker does not create topics): every send fails.
            admin.createTopics(List.of(topic(source), topic(rejected))).all().get(30, TimeUnit.SECONDS);
            String id = TestSamples.uniqueId("held-back");
            probe.send(source, id, FeatureSampleCodec.encode(TestSamples.raw(id).build()));

            Map<String, Object> producer = KafkaClientSettings.producer(
                    Map.of("bootstrap.servers", stack.bootstrapServers()), TopicLayout.MAX_MESSAGE_BYTES);
            producer.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 1000);
            LoopSettings settings = new LoopSettings(source, output, rejected, "test", Duration.ofMillis(200),
                    Duration.ofSeconds(10), Duration.ofMillis(300),
                    KafkaClientSettings.consumer(Map.of("bootstrap.servers", stack.bootstrapServers()), group,
                            TopicLayout.MAX_MESSAGE_BYTES, 16),
                    producer);
            LoopMetrics metrics = new LoopMetrics(new SimpleMeterRegistry());
            NormalizationLoop loop = new NormalizationLoop(settings, new NormalizeStep(new SampleNormalizer(
                    new PerChannelZScore(1e-6), new SampleValidator(), "test", Clock.systemUTC())), metrics);
            loop.start();
            try {
                awaitTrue(() -> metrics.failedBatches() >= 2, "the batch to fail twice");
                assertNull(committed(admin, group, new TopicPartition(source, 0)), "offset committed too early");
                assertEquals(0, metrics.recordsOut());

                admin.createTopics(List.of(topic(output))).all().get(30, TimeUnit.SECONDS);

                var normalized = probe.awaitKey(output, id, Duration.ofSeconds(60));
                assertEquals(NormalizationStamp.State.NORMALIZED,
                        FeatureSampleCodec.decode(normalized.value()).getNormalization().getState());
                awaitTrue(() -> {
                    OffsetAndMetadata offset = committed(admin, group, new TopicPartition(source, 0));
                    return offset != null && offset.offset() == 1;
                }, "offset 1 to be committed");
                assertEquals(1, metrics.recordsOut());
                assertTrue(loop.isAlive());
                assertTrue(loop.hasJoinedGroup());
            } finally {
                loop.stop(Duration.ofSeconds(30));
            }
            assertFalse(loop.isAlive(), "loop thread still running after stop");
            assertNull(loop.fatalError());
        }
    }

    private static NewTopic topic(String name) {
        return new NewTopic(name, 1, (short) 1)
                .configs(Map.of("max.message.bytes", String.valueOf(TopicLayout.MAX_MESSAGE_BYTES)));
    }

    private static OffsetAndMetadata committed(Admin admin, String group, TopicPartition partition) {
        try {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
                    .get(partition);
        } catch (Exception e) {
            throw new AssertionError("cannot read the offsets of " + group, e);
        }
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }
}
