package io.signstream.normalization.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

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
    void anExplicitNoneStampIsRaw() {
        FeatureSample raw = TestSamples.raw("s-4")
                .setNormalization(NormalizationStamp.newBuilder().setState(NormalizationStamp.State.NONE)).build();

        assertEquals(NormalizationStamp.State.NORMALIZED, normalizer.normalize(raw).getNormalization().getState());
    }

    @Test
    void selectsMethodsByName() {
        assertEquals("zscore-per-sample", Normalizations.create("zscore-per-sample", 1e-6).method());
        assertEquals("zscore-per-channel", Normalizations.create("zscore-per-channel", 1e-6).method());
        assertThrows(IllegalArgumentException.class, () -> Normalizations.create("minmax", 1e-6));
    }
}
