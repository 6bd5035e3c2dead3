package io.signstream.landmarks.derive;

import io.signstream.contract.FeatureLayout;

/**
 * The temporal columns of a frame, derived from its 1629 raw values {@code x_t} as backward differences within one
 * sample (all zero on frame 0, which has no predecessor):
 * <ul>
 * <li>1629..3257 velocity {@code v_t = x_t - x_{t-1}} ({@code v_0 = 0})</li>
 * <li>3258..4886 acceleration {@code a_t = v_t - v_{t-1}} ({@code a_0 = 0})</li>
 * <li>4887..6515 jerk {@code j_t = a_t - a_{t-1}} ({@code j_0 = 0})</li>
 * </ul>
 * The one implementation: {@link HolisticDerivation} (real landmarks) and the synthetic generators of local-stack
 * both call it, so their temporal blocks cannot drift apart. Float arithmetic, in this order: changing it changes
 * every derived sample and must bump {@link HolisticDerivation#VERSION}.
 */
public final class TemporalFeatures {

    private static final int RAW = FeatureLayout.RAW_LANDMARK_VALUES;

    private TemporalFeatures() {
    }

    /** Fills the 4887 temporal columns of every frame of {@code features} ([frames, 6516], raw columns set). */
    public static void derive(float[] features, int frames) {
        int velocity = RAW;
        int acceleration = 2 * RAW;
        int jerk = 3 * RAW;
        for (int t = 0; t < frames; t++) {
            int row = t * FeatureLayout.DIMS;
            int previous = row - FeatureLayout.DIMS;
            for (int c = 0; c < RAW; c++) {
                float v = t == 0 ? 0f : features[row + c] - features[previous + c];
                float a = t == 0 ? 0f : v - features[previous + velocity + c];
                float j = t == 0 ? 0f : a - features[previous + acceleration + c];
                features[row + velocity + c] = v;
                features[row + acceleration + c] = a;
                features[row + jerk + c] = j;
            }
        }
    }
}
