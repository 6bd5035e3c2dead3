package io.signstream.featurenormalization;


/**
 * The alternative normalization: one mean and one standard deviation per sample, over every frame and channel.
 * It keeps the relative scale between channels (pose versus face versus velocities), which the per-channel
 * method removes. Same arithmetic rules as {@link PerChannelZScore}: double accumulators, population std; version 2
 * (default) divides by {@code std} and turns a sample whose std is at most the {@link NoiseFloor} threshold (of the
 * sample's largest magnitude) into exactly 0; version 1 divides by {@code max(std, epsilon)}. A sample whose values
 * are all equal becomes exactly 0 in both.
 */
public final class PerSampleZScore extends ZScoreNormalization {

    public static final String METHOD = "zscore-per-sample";
    /** The current (default) version. */
    public static final int VERSION = 2;

    /** Version 1: divisor {@code max(std, epsilon)}. */
    public PerSampleZScore(double epsilon) {
        super(METHOD, epsilon, "per-sample,all-channels,over-time");
    }

    /** Version 2: divisor {@code std}, a sample at or below the noise threshold exactly 0. */
    public PerSampleZScore(NoiseFloor noise) {
        super(METHOD, noise, "per-sample,all-channels,over-time");
    }

    @Override
    public void applyInPlace(float[] values, int frames, int dims) {
        Normalization.checkInPlaceShape(values, frames, dims);
        int n = frames * dims;
        double sum = 0;
        float maxAbs = 0;
        for (int i = 0; i < n; i++) {
            float value = values[i];
            sum += value;
            maxAbs = Math.max(maxAbs, Math.abs(value));
        }
        double mean = sum / n;
        double squares = 0;
        for (int i = 0; i < n; i++) {
            double deviation = values[i] - mean;
            squares += deviation * deviation;
        }
        double scale = scale(Math.sqrt(squares / n), maxAbs);
        for (int i = 0; i < n; i++) {
            // + 0.0: no -0.0 when the scale is 0 (exact otherwise)
            values[i] = (float) ((values[i] - mean) * scale + 0.0);
        }
    }
}
