package io.signstream.localstack.synthetic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.signstream.contract.FeatureLayout;
import io.signstream.contract.proto.Split;
import io.signstream.landmarks.HolisticLandmarks;
import io.signstream.landmarks.HolisticLayout;
import io.signstream.landmarks.derive.HolisticDerivation;

/**
 * A synthetic sample is exactly what the real-landmark derivation makes of its raw columns: the generators and
 * ingest share one temporal block, bit for bit (missing hands included, written as zeros by both).
 */
class SyntheticDerivationTest {

    @Test
    void demoSamplesAreTheDerivationOfTheirLandmarks() {
        assertDerived(SyntheticOptions.tiny().create().sample(Split.TRAIN, 0));
    }

    @Test
    void heldOutSignerSamplesAreTheDerivationOfTheirLandmarks() {
        SignerHeldOutDataset dataset = SignerHeldOutOptions.small().withMissingHands(0.3, 0.1).create();
        assertDerived(dataset.sample(Split.TRAIN, 0));
        assertDerived(dataset.sample(Split.TEST, 1));
    }

    private static void assertDerived(SyntheticSample sample) {
        int frames = sample.frames();
        float[] xyz = new float[frames * HolisticLayout.POINTS * 3];
        for (int t = 0; t < frames; t++) {
            System.arraycopy(sample.features(), t * FeatureLayout.DIMS, xyz, t * FeatureLayout.RAW_LANDMARK_VALUES,
                    FeatureLayout.RAW_LANDMARK_VALUES);
        }
        // already in image coordinates (frame size 1), no confidence: the raw columns pass through unchanged
        HolisticLandmarks landmarks = new HolisticLandmarks(frames, xyz, null, 1f, 1f, "synthetic", Map.of());
        assertArrayEquals(sample.features(), HolisticDerivation.derive(landmarks), sample.id());
    }
}
