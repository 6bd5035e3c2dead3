package io.signstream.normalization.domain;

import io.signstream.featurenormalization.Normalization;
import io.signstream.featurenormalization.PerChannelZScore;
import io.signstream.featurenormalization.NoiseFloor;
import io.signstream.featurenormalization.Normalizations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.signstream.contract.FeatureLayout;
import io.signstream.contract.FeatureTensor;
import io.signstream.contract.RejectionReason;
import io.signstream.contract.SampleRejectedException;
import io.signstream.contract.SampleValidator;
import io.signstream.contract.proto.FeatureSample;
import io.signstream.contract.proto.NormalizationStamp;
import io.signstream.normalization.TestSamples;

class SampleNormalizerTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    private final SampleNormalizer normalizer = new SampleNormalizer(new PerChannelZScore(1e-6),
            new SampleValidator(600), "normalizer-7", Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void stampsTheNormalizedCopyAndKeepsEveryOtherField() {
        FeatureSample raw = TestSamples.raw("s-1").build();

        FeatureSample normalized = normalizer.normalize(raw);

        NormalizationStamp stamp = normalized.getNormalization();
        assertEquals(NormalizationStamp.State.NORMALIZED, stamp.getState());
        assertEquals("zscore-per-channel", stamp.getMethod());
        assertEquals(1, stamp.getMethodVersion());
        assertEquals("1.0E-6", stamp.getParametersOrThrow("epsilon"));
        assertEquals("normalizer-7", stamp.getNormalizedBy());
        assertEquals(NOW.toEpochMilli(), stamp.getNormalizedAtEpochMs());
        assertEquals(raw.toBuilder().clearFeatures().build(),
                normalized.toBuilder().clearFeatures().clearNormalization().build());
        float[] values = FeatureTensor.toFloats(normalized.getFeatures());
        for (int t = 0; t < TestSamples.FRAMES; t++) {
            for (int c = 0; c < FeatureLayout.DIMS; c++) {
                assertEquals(TestSamples.expectedZScore(t, c), values[t * FeatureLayout.DIMS + c], 1e-5,
                        "frame " + t + ", channel " + c);
            }
        }
    }

    @Test
    void refusesToNormalizeTwice() {
        FeatureSample once = normalizer.normalize(TestSamples.raw("s-2").build());

        SampleRejectedException refused = assertThrows(SampleRejectedException.class,
                () -> normalizer.normalize(once));

        assertEquals(RejectionReason.ALREADY_NORMALIZED, refused.reason());
        assertTrue(refused.detail().contains("zscore-per-channel@v1"), refused.detail());
    }

    @Test
    void refusesNonFiniteValuesWithTheValidatorsReason() {
        float[] values = TestSamples.patterned();
        values[FeatureLayout.DIMS + 3] = Float.NEGATIVE_INFINITY;

        SampleRejectedException refused = assertThrows(SampleRejectedException.class,
                () -> normalizer.normalize(TestSamples.raw("s-3", values, TestSamples.FRAMES).build()));

        assertEquals(RejectionReason.NON_FINITE, refused.reason());
    }

    @Test
    void theNonFiniteReasonNamesWhereTheRawSampleHasIt() {
        float[] values = TestSamples.patterned();
        values[2 * FeatureLayout.DIMS + 17] = Float.NaN;

        SampleRejectedException refused = assertThrows(SampleRejectedException.class,
                () -> normalizer.normalizeToValue(TestSamples.raw("s-3b", values, TestSamples.FRAMES).build()));

        assertEquals(RejectionReason.NON_FINITE, refused.reason());
        assertTrue(refused.detail().contains("frame 2, column 17"), refused.detail());
    }

    @Test
    void theRecordValueIsTheNormalizedSampleAndTheReusedBufferNeverLeaksAcrossSamples() throws Exception {
        // a long sample, then a short one, then the long one again: the thread's buffer is reused for all three
        float[] longValues = new float[9 * FeatureLayout.DIMS];
        for (int i = 0; i < longValues.length; i++) {
            longValues[i] = (float) Math.sin(i * 0.37) * (1 + i % 11);
        }
        FeatureSample longRaw = TestSamples.raw("s-long", longValues, 9).build();
        FeatureSample shortRaw = TestSamples.raw("s-short").build();
        for (FeatureSample raw : new FeatureSample[] {longRaw, shortRaw, longRaw}) {
            FeatureSample expected = normalizer.normalize(raw);
            FeatureSample published = FeatureSample.parseFrom(normalizer.normalizeToValue(raw));
            assertEquals(expected, published, raw.getSampleId());
        }
        // and the short one against the independent reference, after the long one filled the buffer
        float[] values = FeatureTensor.toFloats(FeatureSample.parseFrom(normalizer.normalizeToValue(shortRaw))
                .getFeatures());
        assertEquals(TestSamples.FRAMES * FeatureLayout.DIMS, values.length);
        for (int t = 0; t < TestSamples.FRAMES; t++) {
            for (int c = 0; c < FeatureLayout.DIMS; c += 97) {
                assertEquals(TestSamples.expectedZScore(t, c), values[t * FeatureLayout.DIMS + c], 1e-5);
            }
        }
    }

    @Test
    void aBogusFrameCountIsRefusedNotAllocated() {
        // 400,000 x 6516 floats would be 10 GB (and overflows an int): the count is checked, never used to size
        FeatureSample raw = TestSamples.raw("s-bogus").setFrameCount(400_000).build();

        for (org.junit.jupiter.api.function.Executable call : new org.junit.jupiter.api.function.Executable[] {
                () -> normalizer.normalize(raw), () -> normalizer.normalizeToValue(raw)}) {
            assertEquals(RejectionReason.TOO_MANY_FRAMES, assertThrows(SampleRejectedException.class, call).reason());
        }
    }

    @Test
    void anExplicitNoneStampIsRaw() {
        FeatureSample raw = TestSamples.raw("s-4")
                .setNormalization(NormalizationStamp.newBuilder().setState(NormalizationStamp.State.NONE)).build();

        assertEquals(NormalizationStamp.State.NORMALIZED, normalizer.normalize(raw).getNormalization().getState());
    }

    @Test
    void selectsMethodsByNameAndVersion() {
        assertEquals("zscore-per-sample", Normalizations.create("zscore-per-sample", 2, 1e-6, NoiseFloor.DEFAULT).method());
        assertEquals("zscore-per-channel", Normalizations.create("zscore-per-channel", 2, 1e-6, NoiseFloor.DEFAULT).method());
        assertThrows(IllegalArgumentException.class, () -> Normalizations.create("minmax", 2, 1e-6, NoiseFloor.DEFAULT));
        assertThrows(IllegalArgumentException.class, () -> Normalizations.create("minmax"));

        // default: version 2 with the default noise floor, no epsilon in the stamp
        Normalization byDefault = Normalizations.create("zscore-per-channel");
        assertEquals(2, byDefault.version());
        assertEquals("1.0E-5", byDefault.parameters().get("noise-floor"));
        assertEquals("16", byDefault.parameters().get("noise-ulps"));
        assertEquals(null, byDefault.parameters().get("epsilon"));

        // version 1 stays selectable, with its own parameters
        Normalization v1 = Normalizations.create("zscore-per-sample", 1, 1e-5, NoiseFloor.DEFAULT);
        assertEquals(1, v1.version());
        assertEquals(Map.of("epsilon", "1.0E-5", "divisor", "max(std,epsilon)", "std", "population",
                "statistics", "per-sample,all-channels,over-time"), v1.parameters());
        assertThrows(IllegalArgumentException.class, () -> Normalizations.create("zscore-per-channel", 3, 1e-6,
                NoiseFloor.DEFAULT));
        assertThrows(IllegalArgumentException.class, () -> Normalizations.create("zscore-per-channel", 1, 0,
                NoiseFloor.DEFAULT));
    }

    @Test
    void stampsVersionTwoWithItsNoiseRule() {
        SampleNormalizer v2 = new SampleNormalizer(new PerChannelZScore(NoiseFloor.DEFAULT), new SampleValidator(600),
                "normalizer-8", Clock.fixed(NOW, ZoneOffset.UTC));

        FeatureSample normalized = v2.normalize(TestSamples.raw("s-5").build());

        NormalizationStamp stamp = normalized.getNormalization();
        assertEquals("zscore-per-channel", stamp.getMethod());
        assertEquals(2, stamp.getMethodVersion());
        assertEquals(Map.of("divisor", "std", "noise-floor", "1.0E-5", "noise-ulps", "16",
                "noise-rule", "std<=max(noise-floor,noise-ulps*ulp(float(max|x|)))->0", "std", "population",
                "statistics", "per-sample,per-channel,over-time"), stamp.getParametersMap());
        float[] values = FeatureTensor.toFloats(normalized.getFeatures());
        for (int t = 0; t < TestSamples.FRAMES; t++) {
            for (int c = 0; c < FeatureLayout.DIMS; c++) {
                assertEquals(TestSamples.expectedZScore(t, c), values[t * FeatureLayout.DIMS + c], 1e-5,
                        "frame " + t + ", channel " + c);
            }
        }
        SampleRejectedException refused = assertThrows(SampleRejectedException.class, () -> v2.normalize(normalized));
        assertTrue(refused.detail().contains("zscore-per-channel@v2"), refused.detail());
    }
}
