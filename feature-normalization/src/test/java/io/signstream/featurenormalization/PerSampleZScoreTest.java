package io.signstream.featurenormalization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Random;

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

    // ---- version 2 ----

    private final PerSampleZScore v2 = new PerSampleZScore(NoiseFloor.DEFAULT);

    @Test
    void v2GivesTheSameResultForARealSample() {
        // as usesOneMeanAndStdOverAllFramesAndChannels: std 1.118 is far above the noise threshold
        float[] normalized = v2.apply(new float[] { 1, 2, 3, 4 }, 2, 2);

        assertArrayEquals(new float[] { -1.3416408f, -0.4472136f, 0.4472136f, 1.3416408f }, normalized, 1e-6f);
    }

    @Test
    void v2TurnsASampleOfNothingButFloatNoiseIntoExactlyZero() {
        // 0.5 plus noise of std 3e-7: std <= max(1e-5, 16 ulp(0.5)) = 1e-5 -> exactly 0 (v1: std 0.3)
        Random random = new Random(11);
        float[] values = new float[20 * 3];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (0.5 + 3e-7 * random.nextGaussian());
        }

        for (float value : v2.apply(values, 20, 3)) {
            assertEquals(0f, value);
        }
        for (float value : v2.apply(new float[] { 0.3f, 0.3f, 0.3f, 0.3f }, 2, 2)) {
            assertEquals(0f, value);
        }
    }

    @Test
    void v2DescribesItsRuleInTheStamp() {
        assertEquals("zscore-per-sample", v2.method());
        assertEquals(2, v2.version());
        assertEquals(Map.of("divisor", "std", "noise-floor", "1.0E-5", "noise-ulps", "16",
                "noise-rule", "std<=max(noise-floor,noise-ulps*ulp(float(max|x|)))->0", "std", "population",
                "statistics", "per-sample,all-channels,over-time"), v2.parameters());
    }
}
