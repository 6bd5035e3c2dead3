package io.signstream.scoring.wer;

/** What happened to one position of an alignment between a reference and a hypothesis. */
public enum EditOperation {
    /** The reference gloss was recognized. */
    CORRECT,
    /** The reference gloss was recognized as a different gloss. */
    SUBSTITUTION,
    /** The reference gloss is missing from the hypothesis. */
    DELETION,
    /** The hypothesis holds a gloss that matches nothing in the reference. */
    INSERTION
}
