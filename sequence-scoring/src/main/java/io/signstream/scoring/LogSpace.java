package io.signstream.scoring;

/** Arithmetic on log-probabilities, where CTC's sums over alignments live. */
public final class LogSpace {

    private LogSpace() {
    }

    /** log(exp(a) + exp(b)) without overflow; negative infinity is log(0). */
    public static double add(double a, double b) {
        if (a == Double.NEGATIVE_INFINITY) {
            return b;
        }
        if (b == Double.NEGATIVE_INFINITY) {
            return a;
        }
        double max = Math.max(a, b);
        return max + Math.log1p(Math.exp(-Math.abs(a - b)));
    }
}
