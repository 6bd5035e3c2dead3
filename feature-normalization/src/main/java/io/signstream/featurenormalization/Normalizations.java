package io.signstream.featurenormalization;

import java.util.List;

/** The methods this service can apply, selected by name and version from configuration. */
public final class Normalizations {

    public static final List<String> METHODS = List.of(PerChannelZScore.METHOD, PerSampleZScore.METHOD);

    /** Selectable versions: 2 (default: noise-only channels exactly 0) and 1 (divisor max(std, epsilon)). */
    public static final List<Integer> VERSIONS = List.of(2, 1);

    /** The default version. */
    public static final int DEFAULT_VERSION = 2;

    private Normalizations() {
    }

    /** The default version of {@code method} with the default noise floor. */
    public static Normalization create(String method) {
        return create(method, DEFAULT_VERSION, 1e-6, NoiseFloor.DEFAULT);
    }

    /**
     * @param epsilon the divisor floor, used by version 1 only
     * @param noise the noise rule, used by version 2 only
     * @throws IllegalArgumentException for a name that is not one of {@link #METHODS}, a version not in
     *         {@link #VERSIONS}, or a bad parameter of the selected version
     */
    public static Normalization create(String method, int version, double epsilon, NoiseFloor noise) {
        if (!METHODS.contains(method)) {
            throw new IllegalArgumentException("unknown normalization method '" + method
                    + "'; known methods: " + METHODS);
        }
        return switch (version) {
            case 1 -> PerChannelZScore.METHOD.equals(method) ? new PerChannelZScore(epsilon)
                    : new PerSampleZScore(epsilon);
            case 2 -> PerChannelZScore.METHOD.equals(method) ? new PerChannelZScore(noise)
                    : new PerSampleZScore(noise);
            default -> throw new IllegalArgumentException("unknown version " + version + " of '" + method
                    + "'; known versions: " + VERSIONS);
        };
    }
}
