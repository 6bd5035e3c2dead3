package io.signstream.normalization.domain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PerSampleZScoreTest {

    private final PerSampleZScore zscore = new PerSampleZScore(1e-6);

    @Test
    void usesOneMeanAndStdOverAllFramesAndChannels() {
        // 1 2 / 3 4: mean 2.5, var (2.25+0.25+0.25+2.25)/4 = 1.25, std 1.1180340
        // -> -1.3416408, -0.4472136, 0.4472136, 1.3416408
        float[] normalized = zscore.apply(new float[] { 1, 2, 3, 4 }, 2, 2);

        assertArrayEquals(new float[] { -1.3416408f, -0.4472136f, 0.4472136f, 1.3416408f }, normalized, 1e-6f);
    }

    @Test
    void keepsTheRelativeScaleOfChannels() {
        // channel 0: 0 2, channel 1: 0 0 -> values 0 2 0 0: mean 0.5, var (0.25+2.25+0.25+0.25)/4 = 0.75,
        // std 0.8660254 -> -0.5773503, 1.7320508, -0.5773503, -0.5773503 (the constant channel is not 0 here)
        float[] normalized = zscore.apply(new float[] { 0, 0, 2, 0 }, 2, 2);

        assertArrayEquals(new float[] { -0.5773503f, -0.5773503f, 1.7320508f, -0.5773503f }, normalized, 1e-6f);
    }

    @Test
    void aConstantSampleBecomesExactlyZero() {
        float[] normalized = zscore.apply(new float[] { 0.3f, 0.3f, 0.3f, 0.3f, 0.3f, 0.3f }, 3, 2);

        for (float value : normalized) {
            assertEquals(0f, value);
        }
    }

    @Test
    void describesItselfForTheStamp() {
        assertEquals("zscore-per-sample", zscore.method());
        assertEquals(1, zscore.version());
        assertEquals("1.0E-6", zscore.parameters().get("epsilon"));
        assertEquals("max(std,epsilon)", zscore.parameters().get("divisor"));
    }
}
