package io.signstream.normalization.domain;

import java.util.List;

/** The methods this service can apply, selected by name from configuration. */
public final class Normalizations {

    public static final List<String> METHODS = List.of(PerChannelZScore.METHOD, PerSampleZScore.METHOD);

    private Normalizations() {
    }

    /** @throws IllegalArgumentException for a name that is not one of {@link #METHODS} */
    public static Normalization create(String method, double epsilon) {
        return switch (method) {
            case PerChannelZScore.METHOD -> new PerChannelZScore(epsilon);
            case PerSampleZScore.METHOD -> new PerSampleZScore(epsilon);
            default -> throw new IllegalArgumentException("unknown normalization method '" + method
                    + "'; known methods: " + METHODS);
        };
    }
}
