package io.signstream.checkpoint;

import java.util.List;

/** The object names inside one checkpoint prefix ({@code runs/{runId}/epoch-NNNN/}). */
public final class CheckpointFiles {

    /** Model parameters as the teacher's {@code saveParameters} writes them. */
    public static final String PARAMETERS = "parameters.bin";
    /** Optimizer moments keyed by parameter name, as the teacher's {@code saveOptimizerState} writes them. */
    public static final String OPTIMIZER = "optimizer.bin";
    /** The gloss vocabulary (id 0 = CTC blank), sequence-scoring's JSON form. */
    public static final String VOCABULARY = "vocabulary.json";
    /** Model and run configuration the parameters belong to. */
    public static final String CONFIG = "config.json";
    /** The normalization stamp of the data trained on. */
    public static final String NORMALIZATION = "normalization.json";
    /** Loss and other figures at the end of the epoch. */
    public static final String METRICS = "metrics.json";
    /** Written last: a prefix without it is not a checkpoint. */
    public static final String MANIFEST = "manifest.json";
    /**
     * Not part of a checkpoint: the marker ({@link CheckpointDamage}) a reader leaves next to a checkpoint that failed
     * its manifest check, so that nobody trusts it again and nobody has to find out again. Never in a manifest.
     */
    public static final String CORRUPTED = "corrupted.json";
    /** {@code runs/{runId}/quarantine/}: a damaged checkpoint is copied here before its epoch is written again. */
    public static final String QUARANTINE = "quarantine";

    /** The files a complete trainer checkpoint carries besides the manifest. */
    public static final List<String> CONTENT = List.of(PARAMETERS, OPTIMIZER, VOCABULARY, CONFIG, NORMALIZATION, METRICS);

    private CheckpointFiles() {
    }
}
