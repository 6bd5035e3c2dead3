package io.signstream.normalization.domain;

import java.util.Map;

/** What both z-score methods share: the epsilon floor on the divisor and the stamp parameters that describe it. */
abstract class ZScoreNormalization implements Normalization {

    private final String method;
    private final int version;
    private final double epsilon;
    private final Map<String, String> parameters;

    ZScoreNormalization(String method, int version, double epsilon, String statistics) {
        this.method = method;
        this.version = version;
        this.epsilon = Normalization.checkEpsilon(epsilon);
        this.parameters = Map.of(
                "epsilon", Double.toString(epsilon),
                "divisor", "max(std,epsilon)",
                "std", "population",
                "statistics", statistics);
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

    public double epsilon() {
        return epsilon;
    }
}
