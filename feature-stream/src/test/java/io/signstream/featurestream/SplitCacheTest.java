package io.signstream.featurestream;

import static io.signstream.featurestream.TestTopics.ZSCORE;
import static io.signstream.featurestream.TestTopics.config;
import static io.signstream.featurestream.TestTopics.publish;
import static io.signstream.featurestream.TestTopics.sample;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.signstream.contract.NormalizationStamps;
import io.signstream.contract.RejectionReason;
import io.signstream.contract.proto.NormalizationStamp;
import io.signstream.contract.proto.Split;

/**
 * The pass cache on the real local broker: every cached pass is compared with an uncached pass of a fresh
 * {@link FeatureStream} over the same topic (samples, values and summary), and the broker bytes a pass fetched are
 * read from the Kafka consumer's own metrics.
 */
class SplitCacheTest {

    private static final long UNBOUNDED = 1L << 40;
    private static final PassRequest TRAIN = PassRequest.expecting(Split.TRAIN, ZSCORE);

    @TempDir
    Path root;

    /** Every kind of record the split can hold: kept, superseded, refused for each reason, other splits. */
    private static String mixedTopic(int kept) {
        String topic = TestTopics.create("cache");
        for (int i = 0; i < kept; i++) {
            publish(topic, sample("tr-" + i, Split.TRAIN, 3 + i % 4, ZSCORE).build());
        }
        publish(topic, sample("dev-1", Split.DEV, 2, ZSCORE).build());
        publish(topic, sample("tr-raw", Split.TRAIN, 2, null).build());
        NormalizationStamp other = ZSCORE.toBuilder().putParameters("epsilon", "0.1").build();
        publish(topic, sample("tr-other", Split.TRAIN, 2, other).build());
        float[] nan = TestTopics.values(2, 0f);
        nan[5] = Float.NaN;
        publish(topic, sample("tr-nan", Split.TRAIN, 2, ZSCORE).setFeatures(TestTopics.bytes(nan)).build());
        TestTopics.publishRaw(topic, "tr-garbage", "not protobuf".getBytes(StandardCharsets.UTF_8));
        // tr-0 again: the first record of tr-0 is superseded
        publish(topic, sample("tr-0", Split.TRAIN, 5, ZSCORE).setFeatures(TestTopics.bytes(TestTopics.values(5, 9f)))
                .build());
        return topic;
    }

    /** An uncached pass of a fresh stream: the reference. */
    private static PassResult uncached(String topic, PassRequest request) {
        try (FeatureStream fresh = new FeatureStream(config(topic))) {
            return fresh.readAll(request);
        }
    }

    private record Read(Map<String, NormalizedSample> samples, PassSummary summary, long fromCache, long fromBroker,
            double brokerBytes) {
    }

    private static Read read(FeatureStream stream, SplitCache cache, PassRequest request) {
        double before = fetchedBytes(stream);
        Map<String, NormalizedSample> samples = new TreeMap<>();
        try (CachedPass pass = cache.open(request)) {
            while (pass.hasNext()) {
                NormalizedSample sample = pass.next();
                assertTrue(samples.put(sample.id(), sample) == null, "handed out twice: " + sample.id());
            }
            return new Read(samples, pass.summary(), pass.fromCache(), pass.fromBroker(), fetchedBytes(stream) - before);
        }
    }

    private static double fetchedBytes(FeatureStream stream) {
        for (Map.Entry<org.apache.kafka.common.MetricName, ? extends Metric> metric : stream.consumer().metrics()
                .entrySet()) {
            if (metric.getKey().name().equals("bytes-consumed-total")
                    && metric.getKey().group().equals("consumer-fetch-manager-metrics")
                    && !metric.getKey().tags().containsKey("topic")) {
                return ((Number) metric.getValue().metricValue()).doubleValue();
            }
        }
        throw new AssertionError("the consumer reports no bytes-consumed-total");
    }

    private static void assertSame(PassResult expected, Read actual) {
        assertEquals(expected.samples().size(), actual.samples().size());
        for (NormalizedSample sample : expected.samples()) {
            NormalizedSample got = actual.samples().get(sample.id());
            assertTrue(got != null, "missing " + sample.id());
            assertEquals(sample.glosses(), got.glosses());
            assertEquals(sample.frames(), got.frames());
            assertEquals(sample.split(), got.split());
            assertArrayEquals(sample.features(), got.features(), sample.id());
            assertTrue(NormalizationStamps.sameArithmetic(sample.stamp(), got.stamp()));
        }
        PassSummary want = expected.summary();
        PassSummary have = actual.summary();
        assertEquals(want.read(), have.read(), "read");
        assertEquals(want.kept(), have.kept(), "kept");
        assertEquals(want.refused(), have.refused(), "refused");
        assertEquals(want.duplicates(), have.duplicates(), "duplicates");
        assertEquals(want.otherSplits(), have.otherSplits(), "other splits");
        assertEquals(want.stamps(), have.stamps(), "stamps");
        assertEquals(want.derivations(), have.derivations(), "derivations");
        assertEquals(want.endOffsets(), have.endOffsets(), "end offsets");
    }

    @Test
    void laterPassesAreServedFromTheCacheWithTheSameSamplesAndRefusalsAndNoRecordFetchedAgain() {
        String topic = mixedTopic(12);
        PassResult reference = uncached(topic, TRAIN);
        assertEquals(12, reference.samples().size());
        assertEquals(1, reference.summary().refused(RejectionReason.NOT_NORMALIZED.name()));
        assertEquals(1, reference.summary().refused(Refusal.NORMALIZATION_MISMATCH));
        assertEquals(1, reference.summary().duplicates());

        try (FeatureStream stream = new FeatureStream(config(topic));
                SplitCache cache = new SplitCache(stream, new SplitCache.Settings(root, UNBOUNDED), "run-a")) {
            Read first = read(stream, cache, TRAIN);
            assertSame(reference, first);
            assertEquals(0, first.fromCache());
            assertEquals(12, first.fromBroker());
            assertEquals(12, cache.stats().samples());

            for (int pass = 2; pass <= 3; pass++) {
                Read again = read(stream, cache, TRAIN);
                assertSame(reference, again);
                assertEquals(12, again.fromCache(), "pass " + pass);
                assertEquals(0, again.fromBroker(), "pass " + pass);
                // the first pass fetched every record (headers, then values); a cached pass fetches none
                assertTrue(first.brokerBytes() > 12 * 3 * 6516 * 4, "first pass fetched " + first.brokerBytes());
                assertEquals(0.0, again.brokerBytes(), "pass " + pass + " fetched bytes from the broker");
            }
        }
    }

    @Test
    void recordsPublishedSinceAreReadFromTheBrokerAndARepublishedIdIsReadOnceInItsLatestVersion() {
        String topic = mixedTopic(8);
        try (FeatureStream stream = new FeatureStream(config(topic));
                SplitCache cache = new SplitCache(stream, new SplitCache.Settings(root, UNBOUNDED), "run-b")) {
            read(stream, cache, TRAIN);
            publish(topic, sample("tr-new", Split.TRAIN, 4, ZSCORE).build());
            publish(topic, sample("tr-3", Split.TRAIN, 6, ZSCORE).setFeatures(TestTopics.bytes(TestTopics.values(6, 7f)))
                    .build());
            // a kept sample republished unstamped: its latest record is refused, the cached one must not come back
            publish(topic, sample("tr-5", Split.TRAIN, 2, null).build());

            Read second = read(stream, cache, TRAIN);
            PassResult reference = uncached(topic, TRAIN);
            assertSame(reference, second);
            assertEquals(new java.util.TreeSet<>(reference.samples().stream().map(NormalizedSample::id).toList()),
                    second.samples().keySet());
            assertFalse(second.samples().containsKey("tr-5"));
            assertArrayEquals(TestTopics.values(6, 7f), second.samples().get("tr-3").features());
            assertEquals(2, second.fromBroker(), "tr-new and tr-3's new record");
            assertEquals(2, reference.summary().refused(RejectionReason.NOT_NORMALIZED.name()));

            Read third = read(stream, cache, TRAIN);
            assertSame(reference, third);
            assertEquals(0, third.fromBroker());
            assertEquals(0.0, third.brokerBytes());
        }
    }

    @Test
    void aBoundedCacheKeepsWhatFitsAndLaterPassesReadTheRestFromTheBroker() {
        String topic = mixedTopic(10);
        PassResult reference = uncached(topic, TRAIN);
        // room for about four samples of 3-6 frames
        long bound = 4L * 5 * 6516 * 4;
        try (FeatureStream stream = new FeatureStream(config(topic));
                SplitCache cache = new SplitCache(stream, new SplitCache.Settings(root, bound), "run-c")) {
            Read first = read(stream, cache, TRAIN);
            assertSame(reference, first);
            SplitCache.Stats stats = cache.stats();
            assertFalse(stats.growing());
            assertTrue(stats.bytes() <= bound, stats.toString());
            assertTrue(stats.samples() >= 2 && stats.samples() < 10, stats.toString());

            Read second = read(stream, cache, TRAIN);
            assertSame(reference, second);
            assertEquals(stats.samples(), second.fromCache());
            assertEquals(10 - stats.samples(), second.fromBroker());
            assertTrue(second.brokerBytes() > 0 && second.brokerBytes() < first.brokerBytes(),
                    second.brokerBytes() + " of " + first.brokerBytes());
        }
    }

    @Test
    void theCacheStartsOverWhenRecordsItHoldsWereDeletedOrAnotherRequestIsMade() throws Exception {
        String topic = mixedTopic(8);
        try (FeatureStream stream = new FeatureStream(config(topic));
                SplitCache cache = new SplitCache(stream, new SplitCache.Settings(root, UNBOUNDED), "run-d")) {
            read(stream, cache, TRAIN);

            PassRequest any = PassRequest.of(Split.TRAIN);
            Read other = read(stream, cache, any);
            assertSame(uncached(topic, any), other);
            assertEquals(0, other.fromCache(), "another request starts over");

            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    TestTopics.stack().bootstrapServers()))) {
                admin.deleteRecords(Map.of(new TopicPartition(topic, 0), RecordsToDelete.beforeOffset(1)))
                        .all().get(30, TimeUnit.SECONDS);
            }
            PassResult reference = uncached(topic, any);
            Read afterDeletion = read(stream, cache, any);
            assertSame(reference, afterDeletion);
            assertEquals(0, afterDeletion.fromCache(), "records the cache held were deleted: it starts over");
            assertEquals(reference.samples().size(), read(stream, cache, any).fromCache());
        }
    }

    @Test
    void closingDeletesTheCacheAndLeftoversOfGoneProcessesAreRemoved() throws Exception {
        String topic = mixedTopic(3);
        Path gone = Files.createDirectories(root.resolve("2147483646").resolve("run-x-1"));
        Files.write(gone.resolve("features.f32"), new byte[1024]);
        Path alive = Files.createDirectories(root.resolve(String.valueOf(ProcessHandle.current().parent()
                .orElseThrow().pid())).resolve("run-y-1"));
        List<Path> files = new ArrayList<>();
        try (FeatureStream stream = new FeatureStream(config(topic));
                SplitCache cache = new SplitCache(stream, new SplitCache.Settings(root, UNBOUNDED), "run-e")) {
            assertFalse(Files.exists(gone.getParent()), "the folder of a process that is gone is removed");
            assertTrue(Files.exists(alive), "a live process's folder is kept");
            read(stream, cache, TRAIN);
            try (var paths = Files.walk(root.resolve(String.valueOf(ProcessHandle.current().pid())))) {
                paths.filter(Files::isRegularFile).forEach(files::add);
            }
            assertEquals(1, files.size(), files.toString());
            // tr-1 (4 frames), tr-2 (5) and tr-0's latest record (5): float32; tr-0's first record is superseded
            assertEquals((4 + 5 + 5) * 6516L * 4, Files.size(files.get(0)));
        }
        assertFalse(Files.exists(files.get(0).getParent()), "closing deletes the cache");
    }

    @Test
    void withoutACacheEveryPassReadsTheBroker() {
        String topic = mixedTopic(4);
        PassResult reference = uncached(topic, TRAIN);
        try (FeatureStream stream = new FeatureStream(config(topic));
                SplitCache cache = new SplitCache(stream, SplitCache.Settings.off(), "run-f")) {
            for (int pass = 0; pass < 2; pass++) {
                Read read = read(stream, cache, TRAIN);
                assertSame(reference, read);
                assertEquals(0, read.fromCache());
                assertTrue(read.brokerBytes() > 4 * 3 * 6516 * 4);
            }
        }
    }
}
