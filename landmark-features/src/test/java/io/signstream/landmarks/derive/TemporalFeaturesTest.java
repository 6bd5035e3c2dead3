package io.signstream.landmarks.derive;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import io.signstream.contract.FeatureLayout;

class TemporalFeaturesTest {

    @Test
    void velocityAccelerationAndJerkAreBackwardDifferencesZeroOnFrameZero() {
        int d = FeatureLayout.DIMS;
        int raw = FeatureLayout.RAW_LANDMARK_VALUES;
        float[] features = new float[4 * d];
        float[] x = {1f, 2f, 4f, 8f};
        for (int t = 0; t < 4; t++) {
            features[t * d + 7] = x[t];
        }
        TemporalFeatures.derive(features, 4);
        float[] velocity = {0, 1, 2, 4};
        float[] acceleration = {0, 1, 1, 2};
        float[] jerk = {0, 1, 0, 1};
        for (int t = 0; t < 4; t++) {
            assertEquals(velocity[t], features[t * d + raw + 7], "velocity " + t);
            assertEquals(acceleration[t], features[t * d + 2 * raw + 7], "acceleration " + t);
            assertEquals(jerk[t], features[t * d + 3 * raw + 7], "jerk " + t);
            assertEquals(0f, features[t * d + raw + 8], "a constant column does not move");
        }
    }
}
