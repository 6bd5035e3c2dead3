package io.signstream.contract;

import io.signstream.contract.proto.Split;

/** Default topic names; every service lets configuration override them. */
public final class Topics {

    public static final String FEATURES_RAW = "features.raw";
    /**
     * The normalized samples of one split each: a reader of one split reads only its topic, so a dev evaluation
     * never fetches the (much larger) train split, and normalization-service routes each sample by its split.
     */
    public static final String FEATURES_NORMALIZED_TRAIN = "features.normalized.train";
    public static final String FEATURES_NORMALIZED_DEV = "features.normalized.dev";
    public static final String FEATURES_NORMALIZED_TEST = "features.normalized.test";
    /**
     * The layout before split topics: every split in one topic. Nothing writes it any more; readers still read it
     * (keeping only the requested split) so data normalized before the split topics stays usable (README, "Migration").
     */
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

    /** The default normalized topic of {@code split}. */
    public static String featuresNormalized(Split split) {
        return switch (split) {
            case TRAIN -> FEATURES_NORMALIZED_TRAIN;
            case DEV -> FEATURES_NORMALIZED_DEV;
            case TEST -> FEATURES_NORMALIZED_TEST;
            default -> throw new IllegalArgumentException("no normalized topic for split " + split
                    + ": a sample is train, dev or test");
        };
    }
}
