package io.signstream.featurenormalization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * Expected values are worked out by hand in the comments or computed here in double, independently of the
 * production code. {@code zscore} is version 1 (divisor max(std, epsilon)), {@code v2} the default version 2
 * (divisor std; std <= max(1e-5, 16 ulp(max|x|)) -> exactly 0).
 */
class PerChannelZScoreTest {

    private static final float TOLERANCE = 1e-6f;
    private final PerChannelZScore zscore = new PerChannelZScore(1e-6);
    private final PerChannelZScore v2 = new PerChannelZScore(NoiseFloor.DEFAULT);

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

    // ---- version 2 ----

    @Test
    void v2TurnsAWristZOfZeroPlusFloatNoiseIntoExactlyZero() {
        // MediaPipe's hand-wrist z: 0 plus Gaussian noise of std 1e-7 (and 7e-7, the largest reported), float32.
        // std ~1e-7 (7e-7) <= max(1e-5, 16 ulp(~5e-7)) = 1e-5 -> every output exactly 0 (v1 would give std 0.1 (0.7)).
        for (double sigma : new double[] { 5e-8, 1e-7, 7e-7 }) {
            Random random = new Random(42);
            float[] column = new float[150];
            for (int t = 0; t < column.length; t++) {
                column[t] = (float) (random.nextGaussian() * sigma);
            }
            assertTrue(std(column) > sigma / 2, "the noise is there: " + std(column));

            float[] normalized = v2.apply(column, column.length, 1);

            for (float value : normalized) {
                assertEquals(0f, value, "sigma " + sigma); // bits: -0.0 would fail too
            }
        }
    }

    @Test
    void v2TurnsAConstantWithUlpJitterIntoExactlyZeroAtAnyMagnitude() {
        // 0.5 +- 1 ulp (std ~5e-8) and 1000 +- 1 ulp (ulp(1000f) = 6.1e-5: above the absolute 1e-5, below
        // 16 ulp = 9.8e-4): both are rounding noise of a constant and become exactly 0.
        float[] values = new float[3 * 2];
        float[] half = { Math.nextDown(0.5f), 0.5f, Math.nextUp(0.5f) };
        float[] thousand = { Math.nextDown(1000f), 1000f, Math.nextUp(1000f) };
        for (int t = 0; t < 3; t++) {
            values[2 * t] = half[t];
            values[2 * t + 1] = thousand[t];
        }

        float[] normalized = v2.apply(values, 3, 2);

        assertArrayEquals(new float[6], normalized);
        for (float value : normalized) {
            assertEquals(0f, value);
        }
    }

    @Test
    void v2KeepsASlowRealLandmarkAtStdOne() {
        // A landmark drifting slowly (std ~1e-4, the slowest real channel measured is 1.2e-4) around 0.5, with float
        // noise of 7e-7 on top, next to a velocity-like channel of std ~1e-3: both must come out as a plain z-score.
        int frames = 150;
        Random random = new Random(7);
        float[] values = new float[frames * 2];
        for (int t = 0; t < frames; t++) {
            values[2 * t] = (float) (0.5 + 1.4e-4 * Math.sin(t / 10.0) + 7e-7 * random.nextGaussian());
            values[2 * t + 1] = (float) (1e-3 * random.nextGaussian());
        }

        float[] normalized = v2.apply(values, frames, 2);

        for (int c = 0; c < 2; c++) {
            float[] column = column(values, frames, 2, c);
            double mean = mean(column);
            double std = std(column);
            assertTrue(std > 5e-5, "a real channel: std " + std);
            float[] out = column(normalized, frames, 2, c);
            for (int t = 0; t < frames; t++) {
                assertEquals((column[t] - mean) / std, out[t], 1e-5, "channel " + c + " frame " + t);
            }
            assertEquals(1.0, std(out), 1e-6);
            assertEquals(0.0, mean(out), 1e-6);
        }
    }

    @Test
    void v2ThresholdSitsAtTheNoiseFloor() {
        // 0, 2.5e-5: mean 1.25e-5, std 1.25e-5 > 1e-5 -> -1, 1.   0, 1.5e-5: std 7.5e-6 <= 1e-5 -> 0, 0.
        assertArrayEquals(new float[] { -1f, 1f }, v2.apply(new float[] { 0f, 2.5e-5f }, 2, 1), TOLERANCE);
        assertArrayEquals(new float[] { 0f, 0f }, v2.apply(new float[] { 0f, 1.5e-5f }, 2, 1));
        // the classic example is unchanged by the version: std 2 is far above the threshold
        assertArrayEquals(new float[] { -1.5f, -0.5f, -0.5f, -0.5f, 0f, 0f, 1f, 2f },
                v2.apply(new float[] { 2, 4, 4, 4, 5, 5, 7, 9 }, 8, 1), TOLERANCE);
    }

    @Test
    void v2KeepsConstantChannelsAndSingleFramesExactlyZero() {
        float awkward = 0.1f + 1e-7f;
        float[] values = new float[600 * 3];
        for (int t = 0; t < 600; t++) {
            values[3 * t] = awkward;
            values[3 * t + 1] = -123456.78f;
            values[3 * t + 2] = 0f;
        }

        for (float value : v2.apply(values, 600, 3)) {
            assertEquals(0f, value);
        }
        assertArrayEquals(new float[] { 0f, 0f, 0f }, v2.apply(new float[] { 7f, -2f, 0.5f }, 1, 3));
    }

    @Test
    void v2OutputsAreFiniteAndBoundedBySqrtOfTMinusOne() {
        // channels of every scale from 1e-9 to 1e30, one spike each (the worst case for the bound), plus noise
        int frames = 200;
        int dims = 40;
        Random random = new Random(3);
        float[] values = new float[frames * dims];
        for (int c = 0; c < dims; c++) {
            double scale = Math.pow(10, -9 + c);
            double offset = random.nextGaussian();
            for (int t = 0; t < frames; t++) {
                double x = offset + (t == 17 ? scale : 0) + (c % 2 == 0 ? scale * 1e-3 * random.nextGaussian() : 0);
                values[t * dims + c] = (float) x;
            }
        }

        float[] normalized = v2.apply(values, frames, dims);

        double bound = Math.sqrt(frames - 1) * (1 + 1e-6);
        for (float value : normalized) {
            assertTrue(Float.isFinite(value) && Math.abs(value) <= bound, "value " + value);
        }
    }

    @Test
    void v2DescribesItsRuleInTheStamp() {
        assertEquals("zscore-per-channel", v2.method());
        assertEquals(2, v2.version());
        assertEquals(Map.of("divisor", "std", "noise-floor", "1.0E-5", "noise-ulps", "16",
                "noise-rule", "std<=max(noise-floor,noise-ulps*ulp(float(max|x|)))->0", "std", "population",
                "statistics", "per-sample,per-channel,over-time"), v2.parameters());
        assertEquals(Map.of("divisor", "std", "noise-floor", "2.0E-5", "noise-ulps", "4",
                "noise-rule", "std<=max(noise-floor,noise-ulps*ulp(float(max|x|)))->0", "std", "population",
                "statistics", "per-sample,per-channel,over-time"),
                new PerChannelZScore(new NoiseFloor(2e-5, 4)).parameters());
    }

    @Test
    void v2RefusesABadNoiseFloor() {
        assertThrows(IllegalArgumentException.class, () -> new NoiseFloor(0, 16));
        assertThrows(IllegalArgumentException.class, () -> new NoiseFloor(Double.NaN, 16));
        assertThrows(IllegalArgumentException.class, () -> new NoiseFloor(Double.POSITIVE_INFINITY, 16));
        assertThrows(IllegalArgumentException.class, () -> new NoiseFloor(1e-5, -1));
        assertThrows(IllegalArgumentException.class, () -> new PerChannelZScore((NoiseFloor) null));
    }

    static float[] column(float[] values, int frames, int dims, int c) {
        float[] column = new float[frames];
        for (int t = 0; t < frames; t++) {
            column[t] = values[t * dims + c];
        }
        return column;
    }

    static double mean(float[] column) {
        double sum = 0;
        for (float value : column) {
            sum += value;
        }
        return sum / column.length;
    }

    /** Population std in double, two passes. */
    static double std(float[] column) {
        double mean = mean(column);
        double squares = 0;
        for (float value : column) {
            squares += (value - mean) * (value - mean);
        }
        return Math.sqrt(squares / column.length);
    }

    @Test
    void inPlaceOverTheStartOfALongerArrayIsBitForBitApplyAndLeavesTheRestAlone() {
        Random random = new Random(5);
        int frames = 7;
        int dims = 13;
        float[] values = new float[frames * dims];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextGaussian() * (1 + i % dims)) + (i % dims == 4 ? 0 : 3);
        }
        for (Normalization method : new Normalization[] {zscore, v2, new PerSampleZScore(NoiseFloor.DEFAULT)}) {
            float[] expected = method.apply(values, frames, dims);
            float[] buffer = new float[values.length + 5];
            System.arraycopy(values, 0, buffer, 0, values.length);
            java.util.Arrays.fill(buffer, values.length, buffer.length, 42f);

            method.applyInPlace(buffer, frames, dims);

            for (int i = 0; i < values.length; i++) {
                assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(buffer[i]),
                        method.method() + " value " + i);
            }
            for (int i = values.length; i < buffer.length; i++) {
                assertEquals(42f, buffer[i], "past the tensor");
            }
        }
        assertThrows(IllegalArgumentException.class, () -> v2.applyInPlace(new float[frames * dims - 1], frames, dims));
    }
}
