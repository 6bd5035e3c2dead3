package io.signstream.checkpoint;

import java.util.regex.Pattern;

/** Names one checkpoint: a run and the epoch it was written after. */
public record CheckpointRef(String runId, int epoch) {

    /** Run ids become object-name segments: no slashes, nothing a shell or URL would mangle. */
    public static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    /** Epochs are written with four digits so that object listings sort in epoch order. */
    public static final int MAX_EPOCH = 9999;

    public CheckpointRef {
        requireValidRunId(runId);
        if (epoch < 0 || epoch > MAX_EPOCH) {
            throw new IllegalArgumentException("epoch must be within 0.." + MAX_EPOCH + ", not " + epoch);
        }
    }

    public static void requireValidRunId(String runId) {
        if (runId == null || !RUN_ID.matcher(runId).matches()) {
            throw new IllegalArgumentException("run id must match " + RUN_ID.pattern() + ", not '" + runId + "'");
        }
    }

    /** {@code runs/{runId}/}: everything of one run lives under it. */
    public static String runPrefix(String runId) {
        requireValidRunId(runId);
        return "runs/" + runId + "/";
    }

    /** {@code runs/{runId}/epoch-0003/} */
    public String prefix() {
        return runPrefix(runId) + String.format("epoch-%04d/", epoch);
    }

    /** The full object name of one file of this checkpoint. */
    public String object(String file) {
        return prefix() + file;
    }

    @Override
    public String toString() {
        return prefix();
    }
}
