package io.signstream.evaluator.domain;

/** The reason codes of 4xx answers and of FAILED evaluations: stable strings clients may switch on. */
public final class Reasons {

    // 400: the request itself is wrong
    public static final String MALFORMED_JSON = "MALFORMED_JSON";
    public static final String INVALID_REQUEST = "INVALID_REQUEST";
    public static final String BAD_RUN_ID = "BAD_RUN_ID";
    public static final String BAD_EPOCH = "BAD_EPOCH";
    public static final String UNKNOWN_SPLIT = "UNKNOWN_SPLIT";
    public static final String BAD_DECODER = "BAD_DECODER";
    public static final String BAD_PAGE = "BAD_PAGE";
    public static final String BAD_STATUS = "BAD_STATUS";

    // 404: what it names does not exist
    public static final String UNKNOWN_RUN = "UNKNOWN_RUN";
    public static final String UNKNOWN_CHECKPOINT = "UNKNOWN_CHECKPOINT";
    public static final String NO_BEST_CHECKPOINT = "NO_BEST_CHECKPOINT";
    public static final String UNKNOWN_EVALUATION = "UNKNOWN_EVALUATION";

    // passed over by "best" (GET /runs/{run}/best "skipped", and POST /evaluations with epoch "best")
    /** The checkpoint fails its manifest check (a file's size or SHA-256, an unreadable manifest): marked, kept. */
    public static final String CHECKPOINT_CORRUPTED = "CHECKPOINT_CORRUPTED";
    /** The epoch was written again (a resumed run trained it anew) after it was scored. */
    public static final String CHECKPOINT_REWRITTEN = "CHECKPOINT_REWRITTEN";

    // 503: come back later
    public static final String QUEUE_FULL = "QUEUE_FULL";

    // reasons of a FAILED evaluation
    /** The split's records were normalized with other arithmetic than the data the checkpoint was trained on. */
    public static final String NORMALIZATION_MISMATCH = "NORMALIZATION_MISMATCH";
    /** The checkpoint does not say which normalization its training data had, or says "none". */
    public static final String CHECKPOINT_NOT_NORMALIZED = "CHECKPOINT_NOT_NORMALIZED";
    /** A checkpoint file is missing, damaged (SHA-256) or not what its name says. */
    public static final String CHECKPOINT_UNREADABLE = "CHECKPOINT_UNREADABLE";
    /** No usable record of the split in its normalized topics. */
    public static final String NO_SAMPLES = "NO_SAMPLES";
    /** The topic could not be read (broker down, topic missing). */
    public static final String DATA_UNAVAILABLE = "DATA_UNAVAILABLE";
    /** The model failed to load the parameters or to run. */
    public static final String MODEL_ERROR = "MODEL_ERROR";

    private Reasons() {
    }
}
