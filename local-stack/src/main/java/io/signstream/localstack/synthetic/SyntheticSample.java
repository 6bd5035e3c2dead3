package io.signstream.localstack.synthetic;

import java.util.List;

import io.signstream.contract.FeatureLayout;
import io.signstream.contract.FeatureTensor;
import io.signstream.contract.npy.FeatureMatrix;
import io.signstream.contract.proto.FeatureSample;
import io.signstream.contract.proto.Split;

/** One generated sentence of a {@link SyntheticSource}: T frames of 6516 values, row-major. */
public record SyntheticSample(String id, Split split, String signer, List<String> glosses, int frames, float[] features) {

    public FeatureMatrix matrix() {
        return new FeatureMatrix(frames, FeatureLayout.DIMS, features);
    }

    /** The sample as a publisher sends it: stamp NONE (absent). */
    public FeatureSample toFeatureSample() {
        return FeatureSample.newBuilder()
                .setSampleId(id)
                .setSplit(split)
                .addAllGlosses(glosses)
                .setFrameCount(frames)
                .setFeatureDims(FeatureLayout.DIMS)
                .setFeatures(FeatureTensor.toBytes(features))
                .setSigner(signer)
                .setSource("synthetic")
                .build();
    }
}
