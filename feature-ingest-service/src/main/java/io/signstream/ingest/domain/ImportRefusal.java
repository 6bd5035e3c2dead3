package io.signstream.ingest.domain;

/**
 * Why an import refused a sample that the contract's {@link io.signstream.contract.RejectionReason}s
 * do not cover: problems of the dataset folder rather than of the sample.
 */
public enum ImportRefusal {
    /** No {@code .npy}/{@code .npz}/{@code .pose} for the id at any of the looked-up places. */
    MISSING_FILE,
    /** The feature file exists but cannot be read. */
    UNREADABLE_FILE,
    /** The id appeared earlier in this import (same or another split); the first occurrence wins. */
    DUPLICATE_ID,
    /** A corpus line without the header's number of fields. */
    BAD_CORPUS_LINE
}
