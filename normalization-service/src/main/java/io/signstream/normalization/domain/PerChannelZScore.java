package io.signstream.normalization.domain;


/**
 * The default normalization: for each sample and each feature channel (column), subtract the channel's mean
 * over time and divide by its standard deviation over time.
 * <p>
 * Arithmetic (version 1): statistics are accumulated in {@code double}; the standard deviation is the
 * population one (divide by T); the divisor is {@code max(std, epsilon)}.
 * <ul>
 * <li>{@code max(std, epsilon)} rather than {@code sqrt(var + epsilon)}: MediaPipe coordinates live in [0, 1] and
 * their velocities have tiny variances (std ~1e-3), which an additive guard would visibly shrink; with the max,
 * every channel that really moves comes out with std exactly 1.</li>
 * <li>A constant channel (every frame equal, e.g. an undetected hand written as zeros) becomes exactly 0: the mean
 * of T equal floats summed in double is exact, so {@code x - mean} is exactly 0 and so is the quotient.</li>
 * <li>A channel that moves less than epsilon (float rounding noise) is scaled by 1/epsilon, not blown up to unit
 * variance; with the default epsilon of 1e-6, noise of unit-scale float32 coordinates (~1e-7) stays below 0.1.</li>
 * <li>Outputs are bounded by sqrt(T - 1) in magnitude, so a finite input can never produce NaN or Inf.</li>
 * </ul>
 */
public final class PerChannelZScore extends ZScoreNormalization {

    public static final String METHOD = "zscore-per-channel";
    public static final int VERSION = 1;

    public PerChannelZScore(double epsilon) {
        super(METHOD, VERSION, epsilon, "per-sample,per-channel,over-time");
    }

    @Override
    public float[] apply(float[] values, int frames, int dims) {
        Normalization.checkShape(values, frames, dims);
        // Frame after frame keeps the reads sequential over the row-major tensor; the per-channel
        // accumulators are one row wide.
        double[] mean = new double[dims];
        for (int t = 0, base = 0; t < frames; t++, base += dims) {
            for (int c = 0; c < dims; c++) {
                mean[c] += values[base + c];
            }
        }
        for (int c = 0; c < dims; c++) {
            mean[c] /= frames;
        }
        // Two passes (mean first, then squared deviations) instead of sum of squares: no cancellation.
        double[] scale = new double[dims];
        for (int t = 0, base = 0; t < frames; t++, base += dims) {
            for (int c = 0; c < dims; c++) {
                double deviation = values[base + c] - mean[c];
                scale[c] += deviation * deviation;
            }
        }
        for (int c = 0; c < dims; c++) {
            double std = Math.sqrt(scale[c] / frames);
            scale[c] = 1.0 / Math.max(std, epsilon());
        }
        float[] normalized = new float[values.length];
        for (int t = 0, base = 0; t < frames; t++, base += dims) {
            for (int c = 0; c < dims; c++) {
                normalized[base + c] = (float) ((values[base + c] - mean[c]) * scale[c]);
            }
        }
        return normalized;
    }
}
