package io.signstream.teacher;

import io.signstream.contract.FeatureLayout;
import java.util.Random;

/** Synthetic batches for tests: z-scored-looking features, deterministic per seed. */
public final class TestBatches {

    private TestBatches() {}

    public static float[] frames(int count, long seed) {
        Random random = new Random(seed);
        float[] values = new float[count * FeatureLayout.DIMS];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }

    /** Batch of random samples with the given lengths, padded to the longest with zeros. */
    public static TeacherBatch batch(int[] lengths, int[][] targets, long seed) {
        java.util.List<float[]> samples = new java.util.ArrayList<>();
        for (int b = 0; b < lengths.length; b++) {
            samples.add(frames(lengths[b], seed * 31 + b));
        }
        return TeacherBatch.pad(samples, targets == null ? null : java.util.Arrays.asList(targets));
    }
}
