package io.signstream.featurenormalization;

import java.util.Map;

/**
 * What both z-score methods share: how a standard deviation becomes a scale factor, and the stamp parameters that
 * describe it.
 * <ul>
 * <li>Version 1: divisor {@code max(std, epsilon)}; a channel below epsilon is scaled by 1/epsilon.</li>
 * <li>Version 2 (default): divisor {@code std}, and a channel whose std is at most the {@link NoiseFloor} threshold
 * is pure noise and becomes exactly 0, like a constant channel.</li>
 * </ul>
 */
abstract class ZScoreNormalization implements Normalization {

    private final String method;
    private final int version;
    private final double epsilon;
    private final NoiseFloor noise;
    private final Map<String, String> parameters;

    /** Version 1: divisor {@code max(std, epsilon)}. */
    ZScoreNormalization(String method, double epsilon, String statistics) {
        this.method = method;
        this.version = 1;
        this.epsilon = Normalization.checkEpsilon(epsilon);
        this.noise = null;
        this.parameters = Map.of(
                "epsilon", Double.toString(epsilon),
                "divisor", "max(std,epsilon)",
                "std", "population",
                "statistics", statistics);
    }

    /** Version 2: divisor {@code std}, noise-only channels exactly 0. */
    ZScoreNormalization(String method, NoiseFloor noise, String statistics) {
        if (noise == null) {
            throw new IllegalArgumentException("noise floor is required");
        }
        this.method = method;
        this.version = 2;
        this.epsilon = Double.NaN;
        this.noise = noise;
        this.parameters = Map.of(
                "divisor", "std",
                "noise-floor", Double.toString(noise.absolute()),
                "noise-ulps", Integer.toString(noise.ulps()),
                "noise-rule", NoiseFloor.RULE,
                "std", "population",
                "statistics", statistics);
    }

    /**
     * The factor deviations from the mean are multiplied by, for a channel (or sample) with population standard
     * deviation {@code std} and largest magnitude {@code maxAbs}: {@code 1 / max(std, epsilon)} in version 1;
     * {@code 1 / std}, or 0 when {@code std} is at most the noise threshold, in version 2.
     */
    final double scale(double std, float maxAbs) {
        if (noise == null) {
            return 1.0 / Math.max(std, epsilon);
        }
        return std > noise.threshold(maxAbs) ? 1.0 / std : 0.0;
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public int version() {
        return version;
    }

    @Override
    public Map<String, String> parameters() {
        return parameters;
    }

    /** Version 1's divisor floor; NaN in version 2. */
    public double epsilon() {
        return epsilon;
    }

    /** Version 2's noise rule; null in version 1. */
    public NoiseFloor noiseFloor() {
        return noise;
    }
}
