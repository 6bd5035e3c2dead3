package io.signstream.teacher;

import io.signstream.contract.FeatureLayout;
import java.util.List;

/**
 * A padded batch in the model's input layout.
 *
 * @param features B x maxFrames x 6516 floats, row-major, frames past a sample's length are padding (any value)
 * @param batchSize B
 * @param maxFrames frames per sample in {@code features}
 * @param frameLengths valid frames of each sample, 1..maxFrames
 * @param targets gloss ids 1..V per sample (blank 0 never appears); null for inference
 */
public record TeacherBatch(float[] features, int batchSize, int maxFrames, int[] frameLengths, int[][] targets) {

    public TeacherBatch {
        if (batchSize <= 0 || maxFrames <= 0) {
            throw new IllegalArgumentException("batchSize and maxFrames must be positive");
        }
        if (features == null || features.length != (long) batchSize * maxFrames * FeatureLayout.DIMS) {
            throw new IllegalArgumentException("features must hold batchSize x maxFrames x " + FeatureLayout.DIMS
                    + " floats, got " + (features == null ? "null" : features.length));
        }
        if (frameLengths == null || frameLengths.length != batchSize) {
            throw new IllegalArgumentException("need one frame length per sample");
        }
        for (int length : frameLengths) {
            if (length < 1 || length > maxFrames) {
                throw new IllegalArgumentException("frame length " + length + " outside 1.." + maxFrames);
            }
        }
        if (targets != null) {
            if (targets.length != batchSize) {
                throw new IllegalArgumentException("need one target sequence per sample");
            }
            for (int[] target : targets) {
                if (target == null) {
                    throw new IllegalArgumentException("a training batch needs a target for every sample");
                }
                for (int id : target) {
                    if (id < 1) {
                        throw new IllegalArgumentException("target ids start at 1 (0 is the CTC blank), got " + id);
                    }
                }
            }
        }
    }

    /**
     * Pads samples of different lengths into one batch (padding is zeros).
     *
     * @param samples one [frames x 6516] row-major array per sample
     * @param targets gloss ids per sample, or null for inference
     */
    public static TeacherBatch pad(List<float[]> samples, List<int[]> targets) {
        int batch = samples.size();
        int[] lengths = new int[batch];
        int maxFrames = 0;
        for (int b = 0; b < batch; b++) {
            float[] sample = samples.get(b);
            if (sample.length == 0 || sample.length % FeatureLayout.DIMS != 0) {
                throw new IllegalArgumentException("sample " + b + " is not a whole number of " + FeatureLayout.DIMS
                        + "-value frames");
            }
            lengths[b] = sample.length / FeatureLayout.DIMS;
            maxFrames = Math.max(maxFrames, lengths[b]);
        }
        float[] features = new float[batch * maxFrames * FeatureLayout.DIMS];
        for (int b = 0; b < batch; b++) {
            float[] sample = samples.get(b);
            System.arraycopy(sample, 0, features, b * maxFrames * FeatureLayout.DIMS, sample.length);
        }
        int[][] ids = targets == null ? null : targets.toArray(new int[0][]);
        return new TeacherBatch(features, batch, maxFrames, lengths, ids);
    }

    /** The same batch without targets. */
    public TeacherBatch withoutTargets() {
        return new TeacherBatch(features, batchSize, maxFrames, frameLengths, null);
    }
}
