package io.signstream.contract;

import java.util.List;

import io.signstream.contract.proto.FeatureSample;
import io.signstream.contract.proto.Split;

final class SampleFixtures {

    private SampleFixtures() {
    }

    static float[] ramp(int frames) {
        float[] values = new float[frames * FeatureLayout.DIMS];
        for (int i = 0; i < values.length; i++) {
            values[i] = (i % 97) * 0.25f - 3f;
        }
        return values;
    }

    static FeatureSample.Builder valid(int frames) {
        return FeatureSample.newBuilder()
                .setSampleId("01April_2010_Thursday_heute-0")
                .setSplit(Split.TRAIN)
                .addAllGlosses(List.of("__ON__", "REGEN", "loc-NORD"))
                .setFrameCount(frames)
                .setFeatureDims(FeatureLayout.DIMS)
                .setFeatures(FeatureTensor.toBytes(ramp(frames)));
    }
}
