package io.signstream.featurenormalization;

/**
 * Version 2's rule for a channel that carries nothing but float noise: its standard deviation over time is at most
 * {@code threshold(max|x|) = max(absolute, ulps * ulp((float) max|x|))}, and such a channel becomes exactly 0
 * instead of being divided by a floor (version 1) and kept as scaled noise.
 * <ul>
 * <li>{@code absolute} (default {@code 1e-5}) is in the unit of the features, MediaPipe's normalized coordinates
 * (about [0, 1]). Noise there is not rounding of the channel's own value but of the unit-scale quantities MediaPipe
 * computed it from: the hand wrist's z is 0 by definition and comes out as 0 plus noise of std 5e-8..7e-7
 * (ulp(1.0f) = 1.19e-7), however small the value itself is, so a bound relative to the value cannot see it.
 * Measured on a real Holistic recording (benchmarks/results/noise-channels.md): noise channels 6.7e-8..1.2e-7, the
 * slowest real channel 1.2e-4 (velocities included); 1e-5 sits 14x above the largest documented noise and 10x below
 * the slowest real motion.</li>
 * <li>{@code ulps} (default 16) keeps the rule meaningful for channels of large magnitude, whose own float32 rounding
 * exceeds the absolute floor (ulp(128f) = 1.5e-5): a value of 1000 jittering by a few ulps is noise too. For the
 * [0, 1] coordinates the absolute floor decides (16 ulp(1f) = 1.9e-6).</li>
 * </ul>
 */
public record NoiseFloor(double absolute, int ulps) {

    /** The default of version 2: 1e-5 absolute, 16 float32 ulps of the channel's largest magnitude. */
    public static final NoiseFloor DEFAULT = new NoiseFloor(1e-5, 16);

    /** The stamp's description of the rule; {@code noise-floor} and {@code noise-ulps} carry the numbers. */
    public static final String RULE = "std<=max(noise-floor,noise-ulps*ulp(float(max|x|)))->0";

    public NoiseFloor {
        if (!(absolute > 0) || !Double.isFinite(absolute)) {
            throw new IllegalArgumentException("noise floor must be a positive finite number, was " + absolute);
        }
        if (ulps < 0) {
            throw new IllegalArgumentException("noise ulps must not be negative, was " + ulps);
        }
    }

    /** The largest std that is still noise for a channel whose largest magnitude is {@code maxAbs}. */
    public double threshold(float maxAbs) {
        return Math.max(absolute, ulps * (double) Math.ulp(maxAbs));
    }
}
