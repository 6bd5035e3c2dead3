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
    /** Landmarks: a component or array with another number of points than MediaPipe Holistic's. */
    WRONG_POINT_COUNT,
    /** Landmarks: a .pose file without one of the four Holistic components (found by name). */
    MISSING_COMPONENT,
    /** Landmarks: a .pose file with more than one person; a sample is one signer. */
    SEVERAL_PEOPLE,
    /** Landmarks: a .pose file that ends before its header or its declared frames do. */
    TRUNCATED_FILE,
    /** Landmarks: a .pose body that does not fit its header (bytes left over, frame count impossible). */
    HEADER_BODY_MISMATCH,
    /** The consumer failed on this record for a reason of its own (a bug): parked for inspection and replay. */
    PROCESSING_FAILED,
    /** The consumer's output for this record can never be written (too large for the broker, not authorized). */
    UNDELIVERABLE
}
