package io.signstream.normalization.domain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** Expected values are worked out by hand in the comments (population std, divisor max(std, epsilon)). */
class PerChannelZScoreTest {

    private static final float TOLERANCE = 1e-6f;
    private final PerChannelZScore zscore = new PerChannelZScore(1e-6);

    @Test
    void classicExampleWithMeanFiveAndStdTwo() {
        // 2 4 4 4 5 5 7 9: mean 5, squared deviations 9+1+1+1+0+0+4+16 = 32, var 32/8 = 4, std 2.
        float[] column = { 2, 4, 4, 4, 5, 5, 7, 9 };

        float[] normalized = zscore.apply(column, 8, 1);

        assertArrayEquals(new float[] { -1.5f, -0.5f, -0.5f, -0.5f, 0f, 0f, 1f, 2f }, normalized, TOLERANCE);
    }

    @Test
    void eachChannelUsesItsOwnStatisticsAndAConstantChannelBecomesExactlyZero() {
        // [3 frames, 3 channels], row-major.
        // channel 0: 1 2 3       -> mean 2, var (1+0+1)/3 = 2/3, std 0.8164966 -> -1.2247449, 0, 1.2247449
        // channel 1: 4 4 4       -> constant -> 0 0 0 exactly
        // channel 2: 10 40 -20   -> mean 10, var (0+900+900)/3 = 600, std 24.494897 -> 0, 1.2247449, -1.2247449
        float[] values = {
                1, 4, 10,
                2, 4, 40,
                3, 4, -20 };

        float[] normalized = zscore.apply(values, 3, 3);

        float z = 1.2247449f;
        assertArrayEquals(new float[] {
                -z, 0f, 0f,
                0f, 0f, z,
                z, 0f, -z }, normalized, TOLERANCE);
        assertEquals(0f, normalized[1]);
        assertEquals(0f, normalized[4]);
        assertEquals(0f, normalized[7]);
    }

    @Test
    void constantChannelsOfAwkwardValuesAreExactlyZero() {
        float awkward = 0.1f + 1e-7f;
        float[] values = new float[600 * 2];
        for (int t = 0; t < 600; t++) {
            values[2 * t] = awkward;
            values[2 * t + 1] = -123456.78f;
        }

        float[] normalized = zscore.apply(values, 600, 2);

        for (float value : normalized) {
            // assertEquals on floats compares bits: -0.0 would fail here too
            assertEquals(0f, value);
        }
    }

    @Test
    void aSingleFrameHasNothingToNormalizeAgainstAndBecomesZero() {
        float[] normalized = zscore.apply(new float[] { 7f, -2f, 0.5f }, 1, 3);

        assertArrayEquals(new float[] { 0f, 0f, 0f }, normalized);
    }

    @Test
    void aChannelMovingLessThanEpsilonIsDividedByEpsilonNotBlownUpToUnitVariance() {
        // 0 and 1e-8: mean 5e-9, std 5e-9 < epsilon 1e-6 -> (+-5e-9) / 1e-6 = +-0.005
        float[] normalized = zscore.apply(new float[] { 0f, 1e-8f }, 2, 1);

        assertArrayEquals(new float[] { -0.005f, 0.005f }, normalized, 1e-6f);
    }

    @Test
    void epsilonIsAFloorNotAnAddend() {
        // 0 and 0.002: mean 0.001, std 0.001 >> epsilon, so the result is exactly +-1 (an additive
        // sqrt(var + 1e-5) guard would give +-0.30 here).
        PerChannelZScore coarse = new PerChannelZScore(1e-5);

        float[] normalized = coarse.apply(new float[] { 0f, 0.002f }, 2, 1);

        assertArrayEquals(new float[] { -1f, 1f }, normalized, TOLERANCE);
    }

    @Test
    void leavesTheInputAsItWas() {
        float[] values = { 1, 2, 3, 4 };

        zscore.apply(values, 2, 2);

        assertArrayEquals(new float[] { 1, 2, 3, 4 }, values);
    }

    @Test
    void describesItselfForTheStamp() {
        assertEquals("zscore-per-channel", zscore.method());
        assertEquals(1, zscore.version());
        assertEquals(Map.of("epsilon", "1.0E-6", "divisor", "max(std,epsilon)", "std", "population",
                "statistics", "per-sample,per-channel,over-time"), zscore.parameters());
    }

    @Test
    void refusesAShapeTheValuesDoNotFillAndABadEpsilon() {
        assertThrows(IllegalArgumentException.class, () -> zscore.apply(new float[5], 2, 3));
        assertThrows(IllegalArgumentException.class, () -> zscore.apply(new float[0], 0, 3));
        assertThrows(IllegalArgumentException.class, () -> new PerChannelZScore(0));
        assertThrows(IllegalArgumentException.class, () -> new PerChannelZScore(Double.NaN));
    }
}
