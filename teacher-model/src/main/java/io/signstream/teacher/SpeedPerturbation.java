package io.signstream.teacher;

import io.signstream.contract.FeatureLayout;
import io.signstream.teacher.ctc.CtcLoss;
import io.signstream.teacher.model.TemporalRestore;
import java.util.Random;

/**
 * Training-time signing-speed augmentation: a sample is resampled in time to {@code round(T / factor)} frames, the
 * factor drawn uniformly from [{@code minFactor}, {@code maxFactor}] (1.2 = signed 20% faster), with the same linear
 * interpolation rule the teacher's restore uses ({@link TemporalRestore#weights}). Signers differ most in speed
 * (0.7-1.3x in the held-out-signer set, more between real signers); a model that only ever saw each training
 * signer's own speed meets a faster unseen signer with fewer frames per gloss than it learned from.
 *
 * <p>The features are already normalized: interpolating a z-scored sample keeps each channel's mean and nearly its
 * std, so it needs no second normalization. A factor that would leave fewer outputs than the targets need at the
 * model's stride is lowered until the sample fits, so an augmented sample is never unalignable when the original
 * was alignable.
 *
 * @param minFactor slowest speed factor (at most 1)
 * @param maxFactor fastest speed factor (at least 1)
 */
public record SpeedPerturbation(double minFactor, double maxFactor) {

    public SpeedPerturbation {
        if (!(minFactor > 0 && minFactor <= 1 && maxFactor >= 1 && maxFactor <= 4)) {
            throw new IllegalArgumentException("speed factors need 0 < min <= 1 <= max <= 4, got " + minFactor + ".."
                    + maxFactor);
        }
    }

    /** No augmentation. */
    public static SpeedPerturbation none() {
        return new SpeedPerturbation(1, 1);
    }

    public boolean enabled() {
        return minFactor != 1 || maxFactor != 1;
    }

    /** One sample at a random speed: [frames' x 6516] row-major, or the input itself when disabled. */
    public float[] apply(float[] features, int[] targets, TeacherConfig model, Random random) {
        int frames = features.length / FeatureLayout.DIMS;
        if (!enabled()) {
            return features;
        }
        double factor = minFactor + (maxFactor - minFactor) * random.nextDouble();
        int target = Math.max(1, (int) Math.round(frames / factor));
        int needed = CtcLoss.requiredFrames(targets);
        while (target < frames && model.outputLength(target) < needed) {
            target++;
        }
        return target == frames ? features : resample(features, frames, target);
    }

    /** Linear resampling in time of [frames x 6516] to [target x 6516]. */
    public static float[] resample(float[] features, int frames, int target) {
        int dims = FeatureLayout.DIMS;
        float[] weights = TemporalRestore.weights(frames, target);
        float[] out = new float[target * dims];
        for (int t = 0; t < target; t++) {
            for (int s = 0; s < frames; s++) {
                float w = weights[t * frames + s];
                if (w != 0f) {
                    int from = s * dims;
                    int to = t * dims;
                    for (int c = 0; c < dims; c++) {
                        out[to + c] += w * features[from + c];
                    }
                }
            }
        }
        return out;
    }
}
