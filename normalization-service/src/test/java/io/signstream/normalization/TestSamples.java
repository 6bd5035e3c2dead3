package io.signstream.normalization;

import java.util.List;
import java.util.UUID;

import io.signstream.contract.FeatureLayout;
import io.signstream.contract.FeatureTensor;
import io.signstream.contract.proto.FeatureSample;
import io.signstream.contract.proto.Split;

/**
 * Small raw samples whose normalized values are known in closed form: channel c holds
 * {@code offset(c) + slope(c) * PATTERN[t]}; PATTERN has mean 0 and population std sqrt(5), so the per-channel
 * z-score of such a channel is {@code sign(slope(c)) * PATTERN[t] / sqrt(5)}, whatever its offset and slope,
 * and exactly 0 where the slope is 0 (a constant channel).
 */
public final class TestSamples {

    public static final float[] PATTERN = { -3f, -1f, 1f, 3f };
    public static final int FRAMES = PATTERN.length;

    private TestSamples() {
    }

    public static String uniqueId(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    public static float offset(int channel) {
        return (channel % 11) * 0.05f - 0.25f;
    }

    /** 0 on every seventh channel (constant), otherwise +-0.1 .. +-0.5. */
    public static float slope(int channel) {
        if (channel % 7 == 0) {
            return 0f;
        }
        float magnitude = ((channel % 5) + 1) * 0.1f;
        return channel % 2 == 0 ? magnitude : -magnitude;
    }

    public static float[] patterned() {
        float[] values = new float[FRAMES * FeatureLayout.DIMS];
        for (int t = 0; t < FRAMES; t++) {
            for (int c = 0; c < FeatureLayout.DIMS; c++) {
                values[t * FeatureLayout.DIMS + c] = offset(c) + slope(c) * PATTERN[t];
            }
        }
        return values;
    }

    /** The per-channel z-score of {@link #patterned()}, computed by hand from the closed form. */
    public static double expectedZScore(int frame, int channel) {
        float slope = slope(channel);
        if (slope == 0f) {
            return 0.0;
        }
        return Math.signum(slope) * PATTERN[frame] / Math.sqrt(5.0);
    }

    public static FeatureSample.Builder raw(String id) {
        return raw(id, patterned(), FRAMES);
    }

    public static FeatureSample.Builder raw(String id, float[] values, int frames) {
        return FeatureSample.newBuilder()
                .setSampleId(id)
                .setSplit(Split.DEV)
                .addAllGlosses(List.of("__ON__", "MORGEN", "REGEN", "loc-NORD"))
                .setFrameCount(frames)
                .setFeatureDims(FeatureLayout.DIMS)
                .setFeatures(FeatureTensor.toBytes(values))
                .setSigner("Signer05")
                .setSource("tests/" + id + ".npy");
    }
}
