package io.signstream.contract;

/** Why a sample was refused; the code travels in the {@link RecordHeaders#REASON} header and in HTTP answers. */
public enum RejectionReason {
    UNDECODABLE,
    BAD_SAMPLE_ID,
    BAD_SPLIT,
    EMPTY_GLOSSES,
    BAD_GLOSS,
    WRONG_DIMS,
    NO_FRAMES,
    TOO_MANY_FRAMES,
    SIZE_MISMATCH,
    NON_FINITE,
    ALREADY_NORMALIZED,
    NOT_NORMALIZED,
    UNSUPPORTED_FORMAT,
    TOO_LARGE,
    /** The consumer failed on this record for a reason of its own (a bug): parked for inspection and replay. */
    PROCESSING_FAILED
}
