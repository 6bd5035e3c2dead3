package io.signstream.normalization.messaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.signstream.contract.FeatureLayout;
import io.signstream.contract.FeatureSampleCodec;
import io.signstream.contract.FeatureTensor;
import io.signstream.contract.RecordHeaders;
import io.signstream.contract.RejectionReason;
import io.signstream.contract.Topics;
import io.signstream.contract.proto.FeatureSample;
import io.signstream.contract.proto.NormalizationStamp;
import io.signstream.contract.proto.Split;
import io.signstream.localstack.LocalStack;
import io.signstream.localstack.LocalStackTestResource;
import io.signstream.localstack.TopicLayout;
import io.signstream.localstack.TopicProbe;
import io.signstream.normalization.TestSamples;

/**
 * The running service against the real local broker: raw records in on features.raw, normalized or rejected
 * records out. Every bad record is followed, on the same partition, by a good one that must come out normalized.
 */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
class NormalizationPipelineTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final TopicProbe probe = new TopicProbe(LocalStack.shared().bootstrapServers());

    @Test
    void aValidRawRecordComesOutNormalizedAndStampedOnceWithEveryOtherFieldUnchanged() {
        String id = TestSamples.uniqueId("valid");
        FeatureSample raw = TestSamples.raw(id).build();
        long before = System.currentTimeMillis();

        probe.send(Topics.FEATURES_RAW, id, FeatureSampleCodec.encode(raw));
        ConsumerRecord<String, byte[]> record = probe.awaitKey(Topics.FEATURES_NORMALIZED_DEV, id, WAIT);
        long after = System.currentTimeMillis();

        assertEquals(id, record.key());
        FeatureSample normalized = FeatureSampleCodec.decode(record.value());
        NormalizationStamp stamp = normalized.getNormalization();
        assertEquals(NormalizationStamp.State.NORMALIZED, stamp.getState());
        assertEquals("zscore-per-channel", stamp.getMethod());
        assertEquals(2, stamp.getMethodVersion());
        assertEquals("1.0E-5", stamp.getParametersOrThrow("noise-floor"));
        assertEquals("16", stamp.getParametersOrThrow("noise-ulps"));
        assertEquals("std<=max(noise-floor,noise-ulps*ulp(float(max|x|)))->0", stamp.getParametersOrThrow("noise-rule"));
        assertEquals("std", stamp.getParametersOrThrow("divisor"));
        assertFalse(stamp.containsParameters("epsilon"), "version 2 has no epsilon");
        assertFalse(stamp.getNormalizedBy().isBlank());
        assertTrue(stamp.getNormalizedAtEpochMs() >= before && stamp.getNormalizedAtEpochMs() <= after,
                "stamp time " + stamp.getNormalizedAtEpochMs() + " outside [" + before + ", " + after + "]");

        assertEquals(raw.getSampleId(), normalized.getSampleId());
        assertEquals(raw.getSplit(), normalized.getSplit());
        assertEquals(raw.getGlossesList(), normalized.getGlossesList());
        assertEquals(raw.getFrameCount(), normalized.getFrameCount());
        assertEquals(raw.getFeatureDims(), normalized.getFeatureDims());
        assertEquals(raw.getSigner(), normalized.getSigner());
        assertEquals(raw.getSource(), normalized.getSource());
        assertEquals(raw.getFeatures().size(), normalized.getFeatures().size());

        float[] values = FeatureTensor.toFloats(normalized.getFeatures());
        int frames = normalized.getFrameCount();
        for (int c = 0; c < FeatureLayout.DIMS; c++) {
            double sum = 0;
            for (int t = 0; t < frames; t++) {
                double value = values[t * FeatureLayout.DIMS + c];
                assertEquals(TestSamples.expectedZScore(t, c), value, 1e-5, "frame " + t + ", channel " + c);
                sum += value;
            }
            double mean = sum / frames;
            double squares = 0;
            for (int t = 0; t < frames; t++) {
                double deviation = values[t * FeatureLayout.DIMS + c] - mean;
                squares += deviation * deviation;
            }
            double std = Math.sqrt(squares / frames);
            assertEquals(0.0, mean, 1e-6, "mean of channel " + c);
            if (TestSamples.slope(c) == 0f) {
                for (int t = 0; t < frames; t++) {
                    assertEquals(0f, values[t * FeatureLayout.DIMS + c], "constant channel " + c);
                }
            } else {
                assertEquals(1.0, std, 1e-5, "std of channel " + c);
            }
        }

        List<ConsumerRecord<String, byte[]>> outputs = probe.readUntil(Topics.FEATURES_NORMALIZED_DEV, r -> false,
                Duration.ofSeconds(2));
        assertEquals(1, outputs.stream().filter(r -> id.equals(r.key())).count(), "normalized copies of " + id);
    }

    @Test
    void eachSampleGoesToItsSplitsTopicAndNoOther() {
        Map<Split, String> ids = new EnumMap<>(Split.class);
        for (Split split : List.of(Split.TRAIN, Split.DEV, Split.TEST)) {
            String id = TestSamples.uniqueId("routed-" + split.name().toLowerCase(java.util.Locale.ROOT));
            ids.put(split, id);
            probe.send(Topics.FEATURES_RAW, id, FeatureSampleCodec.encode(TestSamples.raw(id).setSplit(split).build()));
        }
        for (Split split : ids.keySet()) {
            ConsumerRecord<String, byte[]> record = probe.awaitKey(Topics.featuresNormalized(split), ids.get(split), WAIT);
            assertEquals(split, FeatureSampleCodec.decode(record.value()).getSplit());
        }
        for (Split split : ids.keySet()) {
            List<String> keys = probe.readUntil(Topics.featuresNormalized(split), r -> false, Duration.ofSeconds(1))
                    .stream().map(ConsumerRecord::key).toList();
            for (Split other : ids.keySet()) {
                assertEquals(split == other, keys.contains(ids.get(other)), ids.get(other) + " on " + split + "'s topic");
            }
        }
    }

    @Test
    void nanInTheDataIsRejectedAndTheNextRecordIsNormalized() {
        float[] values = TestSamples.patterned();
        values[FeatureLayout.DIMS + 17] = Float.NaN;
        String id = TestSamples.uniqueId("nan");

        assertRejectedThenNextNormalized(id,
                FeatureSampleCodec.encode(TestSamples.raw(id, values, TestSamples.FRAMES).build()),
                RejectionReason.NON_FINITE);
    }

    @Test
    void infinityInTheDataIsRejectedAndTheNextRecordIsNormalized() {
        float[] values = TestSamples.patterned();
        values[values.length - 1] = Float.POSITIVE_INFINITY;
        String id = TestSamples.uniqueId("inf");

        assertRejectedThenNextNormalized(id,
                FeatureSampleCodec.encode(TestSamples.raw(id, values, TestSamples.FRAMES).build()),
                RejectionReason.NON_FINITE);
    }

    @Test
    void dims6515IsRejectedAndTheNextRecordIsNormalized() {
        String id = TestSamples.uniqueId("dims");
        int frames = 2;
        float[] values = new float[frames * 6515];
        Arrays.fill(values, 0.5f);
        FeatureSample sample = TestSamples.raw(id, values, frames).setFeatureDims(6515).build();

        assertRejectedThenNextNormalized(id, FeatureSampleCodec.encode(sample), RejectionReason.WRONG_DIMS);
    }

    @Test
    void zeroFramesAreRejectedAndTheNextRecordIsNormalized() {
        String id = TestSamples.uniqueId("empty");
        FeatureSample sample = TestSamples.raw(id, new float[0], 0).build();

        assertRejectedThenNextNormalized(id, FeatureSampleCodec.encode(sample), RejectionReason.NO_FRAMES);
    }

    @Test
    void truncatedProtobufBytesAreRejectedAndTheNextRecordIsNormalized() {
        String id = TestSamples.uniqueId("truncated");
        byte[] whole = FeatureSampleCodec.encode(TestSamples.raw(id).build());

        assertRejectedThenNextNormalized(id, Arrays.copyOf(whole, whole.length / 2), RejectionReason.UNDECODABLE);
    }

    @Test
    void aRecordTheServiceAlreadyNormalizedIsRejectedWhenItComesBack() {
        String id = TestSamples.uniqueId("twice");
        probe.send(Topics.FEATURES_RAW, id, FeatureSampleCodec.encode(TestSamples.raw(id).build()));
        byte[] normalizedOnce = probe.awaitKey(Topics.FEATURES_NORMALIZED_DEV, id, WAIT).value();

        assertRejectedThenNextNormalized(id, normalizedOnce, RejectionReason.ALREADY_NORMALIZED);
    }

    @Test
    void aRecordStampedElsewhereIsRejectedAsAlreadyNormalized() {
        String id = TestSamples.uniqueId("stamped");
        FeatureSample stamped = TestSamples.raw(id).setNormalization(NormalizationStamp.newBuilder()
                .setState(NormalizationStamp.State.NORMALIZED).setMethod("zscore-global").setMethodVersion(1)
                .setNormalizedBy("a-python-dataset-loader")).build();

        assertRejectedThenNextNormalized(id, FeatureSampleCodec.encode(stamped), RejectionReason.ALREADY_NORMALIZED);
    }

    @Test
    void aKeyThatIsNotTheSampleIdIsRejected() {
        String key = TestSamples.uniqueId("key");
        byte[] value = FeatureSampleCodec.encode(TestSamples.raw(TestSamples.uniqueId("other-id")).build());

        assertRejectedThenNextNormalized(key, value, RejectionReason.BAD_SAMPLE_ID);
    }

    /**
     * A valid 600-frame sample padded to just under the 17 MiB record limit: it fits on features.raw, but neither
     * its normalized copy (over 16 MiB) nor its rejection (the same bytes plus reason headers) fits in a record.
     * It is rejected once, without its value, and the partition moves on: the next record comes out once and the
     * committed offset passes both.
     */
    @Test
    void aRecordWhoseRejectionCannotCarryItsBytesIsRejectedWithoutThemAndThePartitionMovesOn() throws Exception {
        String id = TestSamples.uniqueId("oversized");
        String nextId = id + "-next";
        int frames = 600;
        float[] values = new float[frames * FeatureLayout.DIMS];
        Arrays.fill(values, 0.25f);
        FeatureSample unpadded = TestSamples.raw(id, values, frames).build();
        int target = TopicLayout.MAX_MESSAGE_BYTES - 512;
        byte[] oversized = FeatureSampleCodec.encode(unpadded.toBuilder()
                .setSource("x".repeat(target - FeatureSampleCodec.encode(unpadded).length - 4)).build());
        assertTrue(oversized.length > TopicLayout.MAX_MESSAGE_BYTES - 600 && oversized.length < target + 8,
                "padded to " + oversized.length);
        RecordMetadata next;
        try (KafkaProducer<String, byte[]> producer = probe.producer()) {
            producer.send(new ProducerRecord<>(Topics.FEATURES_RAW, 0, id, oversized)).get(60, TimeUnit.SECONDS);
            next = producer.send(new ProducerRecord<>(Topics.FEATURES_RAW, 0, nextId,
                    FeatureSampleCodec.encode(TestSamples.raw(nextId).build()))).get(60, TimeUnit.SECONDS);
        }

        ConsumerRecord<String, byte[]> rejected = probe.awaitKey(Topics.FEATURES_REJECTED, id, WAIT);
        assertEquals(RejectionReason.TOO_LARGE.name(), TopicProbe.header(rejected, RecordHeaders.REASON));
        assertEquals(0, rejected.value().length, "the value is left out");
        assertEquals(String.valueOf(oversized.length), TopicProbe.header(rejected, RecordHeaders.ORIGINAL_BYTES));
        assertEquals(Topics.FEATURES_RAW + "/0/" + (next.offset() - 1),
                TopicProbe.header(rejected, RecordHeaders.ORIGINAL_LOCATION));
        probe.awaitKey(Topics.FEATURES_NORMALIZED_DEV, nextId, WAIT);

        List<ConsumerRecord<String, byte[]>> normalized = probe.readUntil(Topics.FEATURES_NORMALIZED_DEV, r -> false,
                Duration.ofSeconds(2));
        assertEquals(1, normalized.stream().filter(r -> nextId.equals(r.key())).count(), "copies of the next record");
        assertTrue(normalized.stream().noneMatch(r -> id.equals(r.key())), id + " was normalized");
        List<ConsumerRecord<String, byte[]>> rejections = probe.readUntil(Topics.FEATURES_REJECTED, r -> false,
                Duration.ofSeconds(2));
        assertEquals(1, rejections.stream().filter(r -> id.equals(r.key())).count(), "rejections of " + id);

        TopicPartition partition = new TopicPartition(Topics.FEATURES_RAW, 0);
        long deadline = System.nanoTime() + WAIT.toNanos();
        long committed = -1;
        try (Admin admin = LocalStack.shared().kafka().admin()) {
            while (committed <= next.offset() && System.nanoTime() < deadline) {
                OffsetAndMetadata offset = admin.listConsumerGroupOffsets("signstream-normalization")
                        .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS).get(partition);
                committed = offset == null ? -1 : offset.offset();
                Thread.sleep(200);
            }
        }
        assertTrue(committed > next.offset(), "committed offset " + committed + " did not pass " + next.offset());
    }

    /**
     * Sends the bad record and then a good one to the same raw partition, so the good one can only come out
     * if the consumer went past the bad one.
     */
    private void assertRejectedThenNextNormalized(String badKey, byte[] badValue, RejectionReason reason) {
        String goodId = badKey + "-next";
        try (KafkaProducer<String, byte[]> producer = probe.producer()) {
            producer.send(new ProducerRecord<>(Topics.FEATURES_RAW, 0, badKey, badValue)).get(60, TimeUnit.SECONDS);
            producer.send(new ProducerRecord<>(Topics.FEATURES_RAW, 0, goodId,
                    FeatureSampleCodec.encode(TestSamples.raw(goodId).build()))).get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("cannot publish to " + Topics.FEATURES_RAW, e);
        }

        ConsumerRecord<String, byte[]> rejected = probe.awaitKey(Topics.FEATURES_REJECTED, badKey, WAIT);
        assertEquals(reason.name(), TopicProbe.header(rejected, RecordHeaders.REASON));
        String detail = TopicProbe.header(rejected, RecordHeaders.REASON_DETAIL);
        assertNotNull(detail);
        assertFalse(detail.isBlank());
        assertEquals(Topics.FEATURES_RAW, TopicProbe.header(rejected, RecordHeaders.SOURCE_TOPIC));
        assertEquals(NormalizationService.SERVICE_NAME, TopicProbe.header(rejected, RecordHeaders.REJECTED_BY));
        assertArrayEquals(badValue, rejected.value(), "the rejected record carries the original bytes");

        ConsumerRecord<String, byte[]> next = probe.awaitKey(Topics.FEATURES_NORMALIZED_DEV, goodId, WAIT);
        assertEquals(NormalizationStamp.State.NORMALIZED,
                FeatureSampleCodec.decode(next.value()).getNormalization().getState());
        if (reason != RejectionReason.ALREADY_NORMALIZED) {
            List<ConsumerRecord<String, byte[]>> normalized = probe.readUntil(Topics.FEATURES_NORMALIZED_DEV,
                    r -> false, Duration.ofSeconds(1));
            assertTrue(normalized.stream().noneMatch(r -> badKey.equals(r.key())), badKey + " was also normalized");
        }
    }
}
