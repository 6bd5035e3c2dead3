package io.signstream.normalization.domain;


/**
 * The alternative normalization: one mean and one standard deviation per sample, over every frame and channel.
 * It keeps the relative scale between channels (pose versus face versus velocities), which the per-channel
 * method removes. Same arithmetic rules as {@link PerChannelZScore}: double accumulators, population std,
 * divisor {@code max(std, epsilon)}, a sample whose values are all equal becomes exactly 0.
 */
public final class PerSampleZScore extends ZScoreNormalization {

    public static final String METHOD = "zscore-per-sample";
    public static final int VERSION = 1;

    public PerSampleZScore(double epsilon) {
        super(METHOD, VERSION, epsilon, "per-sample,all-channels,over-time");
    }

    @Override
    public float[] apply(float[] values, int frames, int dims) {
        Normalization.checkShape(values, frames, dims);
        double sum = 0;
        for (float value : values) {
            sum += value;
        }
        double mean = sum / values.length;
        double squares = 0;
        for (float value : values) {
            double deviation = value - mean;
            squares += deviation * deviation;
        }
        double scale = 1.0 / Math.max(Math.sqrt(squares / values.length), epsilon());
        float[] normalized = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            normalized[i] = (float) ((values[i] - mean) * scale);
        }
        return normalized;
    }
}
