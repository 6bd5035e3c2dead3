package io.signstream.scoring.wer;

import java.util.Objects;

/**
 * One position of an alignment: which reference gloss became which hypothesis gloss.
 *
 * @param operation  what happened
 * @param reference  the reference gloss; {@code null} for an {@link EditOperation#INSERTION}
 * @param hypothesis the hypothesis gloss; {@code null} for a {@link EditOperation#DELETION}
 */
public record AlignedPair(EditOperation operation, String reference, String hypothesis) {

    public AlignedPair {
        Objects.requireNonNull(operation, "operation");
        boolean consistent = switch (operation) {
            case CORRECT -> reference != null && reference.equals(hypothesis);
            case SUBSTITUTION -> reference != null && hypothesis != null && !reference.equals(hypothesis);
            case DELETION -> reference != null && hypothesis == null;
            case INSERTION -> reference == null && hypothesis != null;
        };
        if (!consistent) {
            throw new IllegalArgumentException("inconsistent aligned pair: " + operation + " of '" + reference
                    + "' -> '" + hypothesis + "'");
        }
    }

    public static AlignedPair correct(String gloss) {
        return new AlignedPair(EditOperation.CORRECT, gloss, gloss);
    }

    public static AlignedPair substitution(String reference, String hypothesis) {
        return new AlignedPair(EditOperation.SUBSTITUTION, reference, hypothesis);
    }

    public static AlignedPair deletion(String reference) {
        return new AlignedPair(EditOperation.DELETION, reference, null);
    }

    public static AlignedPair insertion(String hypothesis) {
        return new AlignedPair(EditOperation.INSERTION, null, hypothesis);
    }

    public boolean isError() {
        return operation != EditOperation.CORRECT;
    }

    @Override
    public String toString() {
        return switch (operation) {
            case CORRECT -> reference;
            case SUBSTITUTION -> reference + "->" + hypothesis;
            case DELETION -> reference + "->*";
            case INSERTION -> "*->" + hypothesis;
        };
    }
}
