package io.signstream.scoring.wer;

import java.util.List;
import java.util.Objects;

/**
 * The alignment of one hypothesis against its reference, with sclite's error counts.
 *
 * @param substitutions   reference glosses recognized as another gloss
 * @param deletions       reference glosses missing from the hypothesis
 * @param insertions      hypothesis glosses matching nothing in the reference
 * @param referenceLength N_ref, the number of reference glosses
 * @param pairs           the alignment in order: reference glosses in reference order, hypothesis glosses
 *                        in hypothesis order, each position with its {@link EditOperation}
 */
public record Alignment(int substitutions, int deletions, int insertions, int referenceLength,
                        List<AlignedPair> pairs) {

    public Alignment {
        Objects.requireNonNull(pairs, "pairs");
        pairs = List.copyOf(pairs);
        int s = 0;
        int d = 0;
        int i = 0;
        int c = 0;
        for (AlignedPair pair : pairs) {
            switch (pair.operation()) {
                case CORRECT -> c++;
                case SUBSTITUTION -> s++;
                case DELETION -> d++;
                case INSERTION -> i++;
            }
        }
        if (s != substitutions || d != deletions || i != insertions || c + s + d != referenceLength) {
            throw new IllegalArgumentException("alignment counts S=" + substitutions + " D=" + deletions + " I="
                    + insertions + " N_ref=" + referenceLength + " disagree with its pairs " + pairs);
        }
    }

    /** S + D + I. */
    public int errors() {
        return substitutions + deletions + insertions;
    }

    /** Reference glosses recognized exactly. */
    public int corrects() {
        return referenceLength - substitutions - deletions;
    }

    /** Number of hypothesis glosses. */
    public int hypothesisLength() {
        return referenceLength - deletions + insertions;
    }

    /** True when the hypothesis equals the reference (no error of any kind). */
    public boolean isCorrect() {
        return errors() == 0;
    }

    /**
     * (S+D+I) / N_ref of this sentence. With an empty reference (N_ref = 0) the rate is undefined: this
     * returns 0.0 when the hypothesis is empty too and {@link Double#POSITIVE_INFINITY} otherwise; the
     * counts ({@link #insertions()}) stay exact, as sclite reports counts instead of percentages then.
     */
    public double wer() {
        return WordErrorRate.rate(errors(), referenceLength);
    }

    /** The reference glosses, in order. */
    public List<String> reference() {
        return pairs.stream().filter(p -> p.reference() != null).map(AlignedPair::reference).toList();
    }

    /** The hypothesis glosses, in order. */
    public List<String> hypothesis() {
        return pairs.stream().filter(p -> p.hypothesis() != null).map(AlignedPair::hypothesis).toList();
    }
}
