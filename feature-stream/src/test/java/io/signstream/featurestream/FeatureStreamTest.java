package io.signstream.featurestream;

import static io.signstream.featurestream.TestTopics.ZSCORE;
import static io.signstream.featurestream.TestTopics.config;
import static io.signstream.featurestream.TestTopics.publish;
import static io.signstream.featurestream.TestTopics.sample;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.signstream.contract.FeatureDerivations;
import io.signstream.contract.NormalizationStamps;
import io.signstream.contract.RejectionReason;
import io.signstream.contract.proto.FeatureDerivation;
import io.signstream.contract.proto.NormalizationStamp;
import io.signstream.contract.proto.Split;

/** Every test reads its own fresh topic on the real local broker. */
class FeatureStreamTest {

    private static Set<String> ids(List<NormalizedSample> samples) {
        return samples.stream().map(NormalizedSample::id).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void keepsOnlyTheRequestedSplit() {
        String topic = TestTopics.create("split");
        publish(topic, sample("tr-1", Split.TRAIN, 2, ZSCORE).build());
        publish(topic, sample("tr-2", Split.TRAIN, 3, ZSCORE).build());
        publish(topic, sample("dev-1", Split.DEV, 4, ZSCORE, "A", "B", "C").build());
        publish(topic, sample("te-1", Split.TEST, 2, ZSCORE).build());

        try (FeatureStream stream = new FeatureStream(config(topic))) {
            PassResult dev = stream.readAll(PassRequest.of(Split.DEV));
            assertEquals(Set.of("dev-1"), ids(dev.samples()));
            NormalizedSample sample = dev.samples().get(0);
            assertEquals(List.of("A", "B", "C"), sample.glosses());
            assertEquals(4, sample.frames());
            assertArrayEquals(TestTopics.values(4, 0f), sample.features());
            assertTrue(NormalizationStamps.sameArithmetic(ZSCORE, sample.stamp()));
            assertEquals(4, dev.summary().read());
            assertEquals(1, dev.summary().kept());
            assertEquals(3, dev.summary().otherSplits());
            assertEquals(0, dev.summary().refusedTotal());

            PassResult train = stream.readAll(PassRequest.of(Split.TRAIN));
            assertEquals(Set.of("tr-1", "tr-2"), ids(train.samples()));
            assertTrue(train.samples().stream().allMatch(s -> s.split() == Split.TRAIN));
            assertEquals(Set.of("te-1"), ids(stream.readAll(PassRequest.of(Split.TEST)).samples()));
        }
    }

    @Test
    void refusesUnstampedUndecodableAndInvalidRecordsAndCountsThemByReason() {
        String topic = TestTopics.create("refuse");
        publish(topic, sample("dev-ok", Split.DEV, 2, ZSCORE).build());
        publish(topic, sample("dev-raw", Split.DEV, 2, null).build());
        publish(topic, sample("dev-none", Split.DEV, 2,
                NormalizationStamp.newBuilder().setState(NormalizationStamp.State.NONE).build()).build());
        publish(topic, sample("dev-long", Split.DEV, 5, ZSCORE).build());
        float[] nan = TestTopics.values(2, 0f);
        nan[77] = Float.NaN;
        publish(topic, sample("dev-nan", Split.DEV, 2, ZSCORE).setFeatures(TestTopics.bytes(nan)).build());
        TestTopics.publishRaw(topic, "dev-garbage", "not protobuf at all".getBytes(StandardCharsets.UTF_8));

        try (FeatureStream stream = new FeatureStream(config(topic).withMaxFrames(4))) {
            PassResult dev = stream.readAll(PassRequest.of(Split.DEV));
            assertEquals(Set.of("dev-ok"), ids(dev.samples()));
            PassSummary summary = dev.summary();
            assertEquals(6, summary.read());
            assertEquals(1, summary.kept());
            assertEquals(Map.of(
                    RejectionReason.NOT_NORMALIZED.name(), 2L,
                    RejectionReason.TOO_MANY_FRAMES.name(), 1L,
                    RejectionReason.NON_FINITE.name(), 1L,
                    RejectionReason.UNDECODABLE.name(), 1L), summary.refused());
            assertEquals(2L, summary.stamps().get("none"));
        }
    }

    @Test
    void countsHowTheSplitsFeaturesWereDerived() {
        String topic = TestTopics.create("derivations");
        FeatureDerivation holistic = FeatureDerivation.newBuilder().setMethod("holistic-landmarks").setMethodVersion(1)
                .putParameters("input", "pose-format 0.2").build();
        publish(topic, sample("dev-uploaded", Split.DEV, 2, ZSCORE).build());
        publish(topic, sample("dev-derived-1", Split.DEV, 2, ZSCORE).setDerivation(holistic).build());
        publish(topic, sample("dev-derived-2", Split.DEV, 2, ZSCORE)
                .setDerivation(holistic.toBuilder().putParameters("input", "npy")).build());
        publish(topic, sample("dev-derived-v2", Split.DEV, 2, ZSCORE)
                .setDerivation(holistic.toBuilder().setMethodVersion(2)).build());
        publish(topic, sample("tr-derived", Split.TRAIN, 2, ZSCORE).setDerivation(holistic).build());

        try (FeatureStream stream = new FeatureStream(config(topic))) {
            PassSummary dev = stream.readAll(PassRequest.of(Split.DEV)).summary();
            // counted by arithmetic (method and version), not by what the input was
            assertEquals(Map.of(FeatureDerivations.AS_UPLOADED, 1L, "holistic-landmarks@v1", 2L,
                    "holistic-landmarks@v2", 1L), dev.derivations());
            assertEquals(Map.of("holistic-landmarks@v1", 1L),
                    stream.readAll(PassRequest.of(Split.TRAIN)).summary().derivations());
        }
    }

    @Test
    void refusesStampsWhoseArithmeticDiffersFromTheExpectedOne() {
        String topic = TestTopics.create("stamps");
        NormalizationStamp otherEpsilon = ZSCORE.toBuilder().putParameters("epsilon", "1.0E-3").build();
        NormalizationStamp otherVersion = ZSCORE.toBuilder().setMethodVersion(2).build();
        NormalizationStamp sameArithmeticOtherInstance = ZSCORE.toBuilder()
                .setNormalizedBy("normalization-7").setNormalizedAtEpochMs(42L).build();
        publish(topic, sample("dev-a", Split.DEV, 2, ZSCORE).build());
        publish(topic, sample("dev-b", Split.DEV, 2, sameArithmeticOtherInstance).build());
        publish(topic, sample("dev-c", Split.DEV, 2, otherEpsilon).build());
        publish(topic, sample("dev-d", Split.DEV, 2, otherVersion).build());

        try (FeatureStream stream = new FeatureStream(config(topic))) {
            PassResult expecting = stream.readAll(PassRequest.expecting(Split.DEV, ZSCORE));
            assertEquals(Set.of("dev-a", "dev-b"), ids(expecting.samples()));
            assertEquals(2L, expecting.summary().refused(Refusal.NORMALIZATION_MISMATCH));
            assertEquals(3, expecting.summary().stamps().size(), expecting.summary().stamps().toString());

            // the same refusal by the description a checkpoint manifest stores
            PassResult byDescription = stream.readAll(PassRequest.expectingDescription(Split.DEV,
                    NormalizationStamps.describe(otherVersion)));
            assertEquals(Set.of("dev-d"), ids(byDescription.samples()));
            assertEquals(3L, byDescription.summary().refused(Refusal.NORMALIZATION_MISMATCH));

            // no expectation: every NORMALIZED record passes
            assertEquals(4, stream.readAll(PassRequest.of(Split.DEV)).samples().size());
        }
    }

    @Test
    void aPassEndsAtTheEndOffsetsCapturedWhenItStarted() {
        String topic = TestTopics.create("ends");
        for (int i = 0; i < 6; i++) {
            publish(topic, sample("tr-" + i, Split.TRAIN, 2, ZSCORE).build());
        }
        try (FeatureStream stream = new FeatureStream(config(topic))) {
            List<String> seen = new ArrayList<>();
            PassSummary first;
            try (SamplePass pass = stream.open(PassRequest.of(Split.TRAIN))) {
                // a producer keeps writing while the pass runs: the pass must neither wait for nor include them
                for (int i = 6; i < 9; i++) {
                    publish(topic, sample("tr-" + i, Split.TRAIN, 2, ZSCORE).build());
                }
                pass.forEachRemaining(s -> seen.add(s.id()));
                assertTrue(pass.isFinished());
                first = pass.summary();
            }
            assertEquals(6, seen.size());
            assertFalse(seen.stream().anyMatch(id -> id.equals("tr-6") || id.equals("tr-7") || id.equals("tr-8")));
            assertEquals(6, first.read());
            assertEquals(6L, first.endOffsets().values().stream().mapToLong(Long::longValue).sum());

            PassResult second = stream.readAll(PassRequest.of(Split.TRAIN));
            assertEquals(9, second.samples().size());
            assertEquals(9L, second.summary().endOffsets().values().stream().mapToLong(Long::longValue).sum());
        }
    }

    @Test
    void passesAreReplayableAcrossPassesAndReaders() {
        String topic = TestTopics.create("replay");
        for (int i = 0; i < 5; i++) {
            publish(topic, sample("tr-" + i, Split.TRAIN, 1 + i, ZSCORE).build());
        }
        publish(topic, sample("dev-0", Split.DEV, 2, ZSCORE).build());
        try (FeatureStream one = new FeatureStream(config(topic)); FeatureStream other = new FeatureStream(config(topic))) {
            Map<String, Integer> first = frames(one.readAll(PassRequest.of(Split.TRAIN)));
            Map<String, Integer> second = frames(one.readAll(PassRequest.of(Split.TRAIN)));
            Map<String, Integer> otherReader = frames(other.readAll(PassRequest.of(Split.TRAIN)));
            assertEquals(5, first.size());
            assertEquals(first, second);
            assertEquals(first, otherReader);
            assertEquals(3, first.get("tr-2"));
            // the iterator form and the stream form hand out the same samples
            try (SamplePass pass = one.open(PassRequest.of(Split.TRAIN))) {
                assertEquals(first.keySet(), pass.stream().map(NormalizedSample::id).collect(Collectors.toSet()));
            }
        }
    }

    @Test
    void aRepublishedSampleIdCountsOnceWithItsLatestRecord() {
        String topic = TestTopics.create("dupes");
        publish(topic, sample("dev-x", Split.DEV, 2, ZSCORE, "OLD").build());
        publish(topic, sample("dev-y", Split.DEV, 2, ZSCORE).build());
        publish(topic, sample("dev-x", Split.DEV, 3, ZSCORE, "NEW", "GLOSS").build());
        try (FeatureStream stream = new FeatureStream(config(topic))) {
            PassResult dev = stream.readAll(PassRequest.of(Split.DEV));
            assertEquals(2, dev.samples().size());
            NormalizedSample x = dev.samples().stream().filter(s -> s.id().equals("dev-x")).findFirst().orElseThrow();
            assertEquals(List.of("NEW", "GLOSS"), x.glosses());
            assertEquals(3, x.frames());
            assertEquals(1, dev.summary().duplicates());

            // re-published later into another split: it leaves dev (the index carries over to the next pass)
            publish(topic, sample("dev-x", Split.TRAIN, 2, ZSCORE, "MOVED").build());
            PassResult again = stream.readAll(PassRequest.of(Split.DEV));
            assertEquals(Set.of("dev-y"), ids(again.samples()));
            assertEquals(2, again.summary().duplicates());
            assertEquals(List.of("MOVED"), stream.readAll(PassRequest.of(Split.TRAIN)).samples().get(0).glosses());
        }
    }

    @Test
    void anEmptyTopicGivesAnEmptyPassAndAMissingTopicAClearError() {
        String topic = TestTopics.create("empty");
        try (FeatureStream stream = new FeatureStream(config(topic))) {
            PassResult empty = stream.readAll(PassRequest.of(Split.TEST));
            assertTrue(empty.samples().isEmpty());
            assertEquals(0, empty.summary().read());
        }
        try (FeatureStream stream = new FeatureStream(config("test.no-such-topic.x").withStallTimeout(java.time.Duration.ofSeconds(5)))) {
            FeatureStreamException e = assertThrows(FeatureStreamException.class, () -> stream.open(PassRequest.of(Split.DEV)));
            assertTrue(e.getMessage().contains("test.no-such-topic.x"), e.getMessage());
        }
    }

    @Test
    void onlyOnePassAtATimeAndNoUnspecifiedSplit() {
        String topic = TestTopics.create("one");
        publish(topic, sample("tr-0", Split.TRAIN, 1, ZSCORE).build());
        try (FeatureStream stream = new FeatureStream(config(topic))) {
            SamplePass pass = stream.open(PassRequest.of(Split.TRAIN));
            assertThrows(IllegalStateException.class, () -> stream.open(PassRequest.of(Split.TRAIN)));
            pass.close();
            assertEquals(1, stream.readAll(PassRequest.of(Split.TRAIN)).samples().size());
        }
        assertThrows(IllegalArgumentException.class, () -> PassRequest.of(Split.SPLIT_UNSPECIFIED));
    }

    private static Map<String, Integer> frames(PassResult result) {
        return result.samples().stream().collect(Collectors.toMap(NormalizedSample::id, NormalizedSample::frames));
    }
}
