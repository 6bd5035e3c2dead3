package io.signstream.teacher.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class TemporalRestoreTest {

    /**
     * Values torch.nn.functional.interpolate(x, size=out, mode="linear", align_corners=False) gives, worked out by
     * hand from its documented source-index rule src = max(0, (t + 0.5) * in / out - 0.5).
     */
    @Test
    void matchesTorchLinearInterpolation() {
        // [a, b] -> 4: a, 0.75a + 0.25b, 0.25a + 0.75b, b
        assertArrayEquals(new float[] {1, 0, 0.75f, 0.25f, 0.25f, 0.75f, 0, 1}, TemporalRestore.weights(2, 4), 1e-7f);
        // [a, b, c] -> 7: scale 3/7; t=3: src 1 exactly
        float[] w = TemporalRestore.weights(3, 7);
        assertArrayEquals(new float[] {0, 1, 0}, new float[] {w[9], w[10], w[11]}, 1e-6f);
        // t=1: src = 1.5 * 3/7 - 0.5 = 1/7 -> 6/7 a + 1/7 b
        assertArrayEquals(new float[] {6f / 7, 1f / 7, 0}, new float[] {w[3], w[4], w[5]}, 1e-6f);
        // last output: src = 6.5 * 3/7 - 0.5 = 2.2857 -> clamped to the last frame
        assertArrayEquals(new float[] {0, 0, 1}, new float[] {w[18], w[19], w[20]}, 1e-6f);
        // one input frame is repeated
        assertArrayEquals(new float[] {1, 1, 1}, TemporalRestore.weights(1, 3), 0f);
    }

    @Test
    void sameLengthIsTheIdentityAndRowsSumToOne() {
        float[] identity = TemporalRestore.weights(5, 5);
        for (int t = 0; t < 5; t++) {
            for (int s = 0; s < 5; s++) {
                assertEquals(t == s ? 1f : 0f, identity[t * 5 + s], 1e-7f);
            }
        }
        for (int in = 1; in <= 40; in++) {
            for (int out = in; out <= 4 * in; out++) {
                float[] w = TemporalRestore.weights(in, out);
                for (int t = 0; t < out; t++) {
                    float sum = 0;
                    for (int s = 0; s < in; s++) {
                        sum += w[t * in + s];
                    }
                    assertEquals(1f, sum, 1e-6f, in + " -> " + out + " row " + t);
                }
            }
        }
    }

    @Test
    void eachSampleIsStretchedFromItsOwnLengthAndPaddingStaysZero() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // sample 0: 2 valid frames of 3 (third is junk), sample 1: 3 valid frames; one channel
            NDArray x = manager.create(new float[] {1, 3, 99, 2, 4, 6}, new Shape(2, 3, 1));
            float[] out = TemporalRestore.restore(x, new int[] {2, 3}, new int[] {4, 5}, 5).toFloatArray();
            assertArrayEquals(new float[] {1, 1.5f, 2.5f, 3, 0}, java.util.Arrays.copyOfRange(out, 0, 5), 1e-6f);
            // 3 -> 5: src = 0.6t - 0.2 -> 0 (clamped), 0.4, 1.0, 1.6, 2.2 (the last frame, repeated)
            assertArrayEquals(new float[] {2, 2.8f, 4, 5.2f, 6}, java.util.Arrays.copyOfRange(out, 5, 10), 1e-5f);
        }
    }
}
