package io.signstream.scoring.wer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Word (gloss) error rate by the same dynamic-programming alignment as NIST sclite, so the substitution,
 * deletion and insertion counts agree with the scorer that PHOENIX-2014 results are published with.
 *
 * <p>Plain unit-cost Levenshtein distance gives the right total but often another S/D/I split, and on some
 * inputs sclite's weighted alignment even has more errors than the Levenshtein minimum. sclite
 * ({@code sctk/src/sclite/net_dp.c} and {@code word.c}, default word-to-word distance {@code wwd_WORD}) uses
 * <ul>
 *   <li>costs: correct 0, substitution {@value #SUBSTITUTION_COST}, deletion {@value #DELETION_COST},
 *       insertion {@value #INSERTION_COST};</li>
 *   <li>on a tie in a cell, substitution/correct before deletion before insertion;</li>
 *   <li>a trace back from the last reference and last hypothesis gloss along those choices.</li>
 * </ul>
 * This class does exactly that, comparing glosses case-sensitively (sclite {@code -s}). sclite's special
 * tokens are not interpreted: {@code @} (its null word), {@code (GLOSS)} (optionally deletable) and
 * fragments ({@code GLOSS-}, only with {@code -F}) are ordinary glosses here, as PHOENIX glosses never use
 * that syntax.
 */
public final class WordErrorRate {

    /** sclite's substitution cost. */
    public static final int SUBSTITUTION_COST = 4;
    /** sclite's deletion cost. */
    public static final int DELETION_COST = 3;
    /** sclite's insertion cost. */
    public static final int INSERTION_COST = 3;

    private static final byte FROM_DIAGONAL = 0;
    private static final byte FROM_ABOVE = 1; // deletion: reference advances
    private static final byte FROM_LEFT = 2;  // insertion: hypothesis advances

    private WordErrorRate() {
    }

    /**
     * Aligns a hypothesis against its reference.
     *
     * @throws NullPointerException when a list or one of its glosses is null
     */
    public static Alignment align(List<String> reference, List<String> hypothesis) {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(hypothesis, "hypothesis");
        String[] ref = toArray(reference, "reference");
        String[] hyp = toArray(hypothesis, "hypothesis");
        int n = ref.length;
        int m = hyp.length;

        // cost[j] holds row i of the DP table; moves[i][j] remembers the choice for the trace back.
        long[] previous = new long[m + 1];
        long[] current = new long[m + 1];
        byte[][] moves = new byte[n + 1][m + 1];
        for (int j = 1; j <= m; j++) {
            previous[j] = previous[j - 1] + INSERTION_COST;
            moves[0][j] = FROM_LEFT;
        }
        for (int i = 1; i <= n; i++) {
            current[0] = previous[0] + DELETION_COST;
            moves[i][0] = FROM_ABOVE;
            for (int j = 1; j <= m; j++) {
                long diagonal = previous[j - 1] + (ref[i - 1].equals(hyp[j - 1]) ? 0 : SUBSTITUTION_COST);
                long deletion = previous[j] + DELETION_COST;
                long insertion = current[j - 1] + INSERTION_COST;
                // sclite's order: "sub <= del && sub <= ins" wins, then "del < ins", else insertion.
                if (diagonal <= deletion && diagonal <= insertion) {
                    current[j] = diagonal;
                    moves[i][j] = FROM_DIAGONAL;
                } else if (deletion < insertion) {
                    current[j] = deletion;
                    moves[i][j] = FROM_ABOVE;
                } else {
                    current[j] = insertion;
                    moves[i][j] = FROM_LEFT;
                }
            }
            long[] swap = previous;
            previous = current;
            current = swap;
        }

        List<AlignedPair> pairs = new ArrayList<>(n + m);
        int substitutions = 0;
        int deletions = 0;
        int insertions = 0;
        int i = n;
        int j = m;
        while (i > 0 || j > 0) {
            switch (moves[i][j]) {
                case FROM_DIAGONAL -> {
                    if (ref[i - 1].equals(hyp[j - 1])) {
                        pairs.add(AlignedPair.correct(ref[i - 1]));
                    } else {
                        pairs.add(AlignedPair.substitution(ref[i - 1], hyp[j - 1]));
                        substitutions++;
                    }
                    i--;
                    j--;
                }
                case FROM_ABOVE -> {
                    pairs.add(AlignedPair.deletion(ref[i - 1]));
                    deletions++;
                    i--;
                }
                default -> {
                    pairs.add(AlignedPair.insertion(hyp[j - 1]));
                    insertions++;
                    j--;
                }
            }
        }
        Collections.reverse(pairs);
        return new Alignment(substitutions, deletions, insertions, n, pairs);
    }

    /** (S+D+I)/N_ref of one sentence; shorthand for {@code align(reference, hypothesis).wer()}. */
    public static double wer(List<String> reference, List<String> hypothesis) {
        return align(reference, hypothesis).wer();
    }

    /**
     * errors / referenceLength, defined as 0.0 for 0/0 and {@link Double#POSITIVE_INFINITY} for errors
     * against an empty reference.
     */
    static double rate(long errors, long referenceLength) {
        if (referenceLength == 0) {
            return errors == 0 ? 0.0 : Double.POSITIVE_INFINITY;
        }
        return (double) errors / referenceLength;
    }

    private static String[] toArray(List<String> glosses, String what) {
        String[] array = new String[glosses.size()];
        for (int k = 0; k < array.length; k++) {
            String gloss = glosses.get(k);
            if (gloss == null) {
                throw new NullPointerException(what + " gloss #" + k + " is null");
            }
            array[k] = gloss;
        }
        return array;
    }
}
