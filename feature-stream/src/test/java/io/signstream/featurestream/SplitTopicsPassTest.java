package io.signstream.featurestream;

import static io.signstream.featurestream.TestTopics.ZSCORE;
import static io.signstream.featurestream.TestTopics.publish;
import static io.signstream.featurestream.TestTopics.sample;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import io.signstream.contract.RejectionReason;
import io.signstream.contract.proto.NormalizationStamp;
import io.signstream.contract.proto.Split;

/** The split layout on the real local broker: one topic per split, plus the legacy all-splits topic when named. */
class SplitTopicsPassTest {

    private record Layout(String train, String dev, String test) {

        static Layout create(String purpose) {
            return new Layout(TestTopics.create(purpose + ".train"), TestTopics.create(purpose + ".dev"),
                    TestTopics.create(purpose + ".test"));
        }

        SplitTopics topics(Optional<String> legacy) {
            return new SplitTopics(Map.of(Split.TRAIN, train, Split.DEV, dev, Split.TEST, test), legacy);
        }
    }

    private static FeatureStreamConfig config(SplitTopics topics) {
        return FeatureStreamConfig.of(TestTopics.stack().bootstrapServers()).withTopics(topics);
    }

    /** Records the consumer fetched, by topic (from its fetch metrics, which name topics with '.' as '_'). */
    private static Map<String, Double> consumedByTopic(FeatureStream stream) {
        Map<String, Double> consumed = new HashMap<>();
        for (Map.Entry<MetricName, ? extends Metric> metric : stream.consumer().metrics().entrySet()) {
            MetricName name = metric.getKey();
            if (name.name().equals("records-consumed-total") && name.tags().containsKey("topic")) {
                consumed.merge(name.tags().get("topic"), ((Number) metric.getValue().metricValue()).doubleValue(),
                        Double::sum);
            }
        }
        return consumed;
    }

    private static double consumed(Map<String, Double> byTopic, String topic) {
        return byTopic.getOrDefault(topic.replace('.', '_'), 0.0);
    }

    @Test
    void aDevPassNeverFetchesATrainRecord() {
        Layout layout = Layout.create("layout");
        for (int i = 0; i < 6; i++) {
            publish(layout.train(), sample("tr-" + i, Split.TRAIN, 3, ZSCORE).build());
        }
        publish(layout.dev(), sample("dev-0", Split.DEV, 2, ZSCORE).build());
        publish(layout.dev(), sample("dev-1", Split.DEV, 2, ZSCORE).build());
        publish(layout.test(), sample("te-0", Split.TEST, 2, ZSCORE).build());

        try (FeatureStream stream = new FeatureStream(config(layout.topics(Optional.empty())))) {
            PassSummary dev;
            try (SamplePass pass = stream.open(PassRequest.of(Split.DEV))) {
                Set<String> assigned = stream.consumer().assignment().stream().map(TopicPartition::topic)
                        .collect(Collectors.toSet());
                assertEquals(Set.of(layout.dev()), assigned);
                assertEquals(Set.of("dev-0", "dev-1"), pass.stream().map(NormalizedSample::id).collect(Collectors.toSet()));
                dev = pass.summary();
            }
            assertEquals(2, dev.read());
            assertEquals(0, dev.otherSplits());
            assertTrue(dev.endOffsets().keySet().stream().allMatch(tp -> tp.startsWith(layout.dev() + "-")),
                    dev.endOffsets().toString());
            Map<String, Double> fetched = consumedByTopic(stream);
            assertEquals(0.0, consumed(fetched, layout.train()), fetched.toString());
            assertEquals(0.0, consumed(fetched, layout.test()), fetched.toString());
            assertTrue(consumed(fetched, layout.dev()) >= 2, fetched.toString());

            // the same reader goes on to train: now, and only now, train records are fetched
            assertEquals(6, stream.readAll(PassRequest.of(Split.TRAIN)).samples().size());
            assertTrue(consumed(consumedByTopic(stream), layout.train()) >= 6);
        }
    }

    @Test
    void aSplitTopicStillRefusesUnstampedAndDifferentlyNormalizedRecords() {
        Layout layout = Layout.create("layout-refuse");
        NormalizationStamp otherVersion = ZSCORE.toBuilder().setMethodVersion(2).build();
        publish(layout.dev(), sample("dev-ok", Split.DEV, 2, ZSCORE).build());
        publish(layout.dev(), sample("dev-raw", Split.DEV, 2, null).build());
        publish(layout.dev(), sample("dev-v2", Split.DEV, 2, otherVersion).build());
        // misrouted: a train sample in the dev topic is never handed out as dev
        publish(layout.dev(), sample("tr-astray", Split.TRAIN, 2, ZSCORE).build());

        try (FeatureStream stream = new FeatureStream(config(layout.topics(Optional.empty())))) {
            PassResult dev = stream.readAll(PassRequest.expecting(Split.DEV, ZSCORE));
            assertEquals(List.of("dev-ok"), dev.samples().stream().map(NormalizedSample::id).toList());
            assertEquals(Map.of(RejectionReason.NOT_NORMALIZED.name(), 1L, Refusal.NORMALIZATION_MISMATCH, 1L),
                    dev.summary().refused());
            assertEquals(1, dev.summary().otherSplits());
        }
    }

    @Test
    void aRepublishedSampleIsReadOnceInItsLatestVersionAcrossTheLegacyAndTheSplitTopic() {
        Layout layout = Layout.create("layout-latest");
        String legacy = TestTopics.create("layout-latest.legacy");
        // today's layout: everything in one topic
        publish(legacy, sample("dev-a", Split.DEV, 2, ZSCORE, "OLD").build());
        publish(legacy, sample("dev-b", Split.DEV, 2, ZSCORE, "LEGACY", "ONLY").build());
        publish(legacy, sample("tr-a", Split.TRAIN, 2, ZSCORE).build());
        // re-normalized into the split topic later, and then re-published once more
        publish(layout.dev(), sample("dev-a", Split.DEV, 3, ZSCORE, "NEWER").build());
        publish(layout.dev(), sample("dev-a", Split.DEV, 4, ZSCORE, "NEWEST").build());

        try (FeatureStream stream = new FeatureStream(config(layout.topics(Optional.of(legacy))))) {
            PassResult dev = stream.readAll(PassRequest.of(Split.DEV));
            Map<String, NormalizedSample> byId = dev.samples().stream()
                    .collect(Collectors.toMap(NormalizedSample::id, s -> s));
            assertEquals(Set.of("dev-a", "dev-b"), byId.keySet());
            assertEquals(List.of("NEWEST"), byId.get("dev-a").glosses());
            assertEquals(4, byId.get("dev-a").frames());
            assertEquals(List.of("LEGACY", "ONLY"), byId.get("dev-b").glosses());
            assertEquals(2, dev.summary().duplicates());
            // the legacy topic is read with a split filter: its train record is skipped, never handed out
            assertEquals(1, dev.summary().otherSplits());
            assertEquals(1, stream.readAll(PassRequest.of(Split.TRAIN)).samples().size());
        }
    }

    @Test
    void whatAPassKeepsDoesNotDependOnTheSplitsTheReaderReadBefore() {
        Layout layout = Layout.create("layout-independent");
        publish(layout.dev(), sample("s-1", Split.DEV, 2, ZSCORE, "IN", "DEV").build());
        // the same id published later into test: the dev topic still holds its dev record (README, "Topic layout")
        publish(layout.test(), sample("s-1", Split.TEST, 3, ZSCORE, "IN", "TEST").build());
        try (FeatureStream fresh = new FeatureStream(config(layout.topics(Optional.empty())));
                FeatureStream used = new FeatureStream(config(layout.topics(Optional.empty())))) {
            assertEquals(1, used.readAll(PassRequest.of(Split.TEST)).samples().size());
            for (FeatureStream stream : List.of(fresh, used)) {
                PassResult dev = stream.readAll(PassRequest.of(Split.DEV));
                assertEquals(List.of(List.of("IN", "DEV")), dev.samples().stream().map(NormalizedSample::glosses).toList());
                assertEquals(0, dev.summary().duplicates());
            }
        }
    }

    @Test
    void aMissingLegacyTopicIsSkippedAndAMissingSplitTopicIsAClearError() {
        Layout layout = Layout.create("layout-missing");
        publish(layout.test(), sample("te-0", Split.TEST, 2, ZSCORE).build());
        try (FeatureStream stream = new FeatureStream(config(layout.topics(Optional.of("test.no-such-legacy.x"))))) {
            assertEquals(1, stream.readAll(PassRequest.of(Split.TEST)).samples().size());
        }
        SplitTopics missingDev = SplitTopics.none().with(Split.DEV, "test.no-such-dev.x").withLegacy(SplitTopics.NONE);
        try (FeatureStream stream = new FeatureStream(config(missingDev))) {
            FeatureStreamException e = assertThrows(FeatureStreamException.class, () -> stream.open(PassRequest.of(Split.DEV)));
            assertTrue(e.getMessage().contains("test.no-such-dev.x"), e.getMessage());
        }
    }

    @Test
    void theLayoutNamesWhatEachSplitReads() {
        SplitTopics topics = SplitTopics.defaults();
        assertEquals(List.of("features.normalized.dev", "features.normalized"), topics.forSplit(Split.DEV));
        assertEquals(List.of("features.normalized.train"), topics.withLegacy(SplitTopics.NONE).forSplit(Split.TRAIN));
        assertEquals(List.of("features.normalized.test"), topics.withLegacy(" ").forSplit(Split.TEST));
        assertEquals(List.of("mixed"), SplitTopics.shared("mixed").forSplit(Split.DEV));
        assertTrue(topics.isLegacy("features.normalized"));
        assertThrows(IllegalArgumentException.class, () -> topics.forSplit(Split.SPLIT_UNSPECIFIED));
        // a reader names only what it reads: the trainer has no dev topic, and asking for one says so
        SplitTopics trainer = SplitTopics.none().with(Split.TRAIN, "t").withLegacy(SplitTopics.NONE);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> trainer.forSplit(Split.DEV));
        assertTrue(e.getMessage().contains("DEV"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SplitTopics.none().with(Split.DEV, " ").withLegacy(null));
        assertThrows(IllegalArgumentException.class, () -> SplitTopics.none().withLegacy(SplitTopics.NONE));
    }
}
