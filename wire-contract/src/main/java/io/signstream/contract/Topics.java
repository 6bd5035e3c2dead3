package io.signstream.contract;

/** Default topic names; every service lets configuration override them. */
public final class Topics {

    public static final String FEATURES_RAW = "features.raw";
    public static final String FEATURES_NORMALIZED = "features.normalized";
    public static final String FEATURES_REJECTED = "features.rejected";
    public static final String TRAINING_EVENTS = "training.events";
    /** The run queue: one record per run to train (key = run id), taken by trainer pods of one consumer group. */
    public static final String TRAINING_REQUESTS = "training.requests";
    public static final String EVALUATION_RESULTS = "evaluation.results";
    /** The ingest service's import jobs, compacted: the latest state of each job and each instance's heartbeat. */
    public static final String INGEST_IMPORTS = "ingest.imports";

    /** Largest record the system is configured for: 16 MiB (a raw sample of 600 frames is ~15.6 MB). */
    public static final int MAX_RECORD_BYTES = 16 * 1024 * 1024;

    private Topics() {
    }
}
