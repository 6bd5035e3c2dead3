package io.signstream.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The last object of a checkpoint: it vouches for the others (name, size, SHA-256), so a reader never
 * takes a half-written or damaged checkpoint for a whole one.
 *
 * @param formatVersion layout version of this manifest (1)
 * @param createdAt ISO-8601 instant the checkpoint was completed
 * @param normalization the stamp description of the data trained on (NormalizationStamps#describe)
 * @param writer the process that wrote the checkpoint and the ownership generation it held the run under; null in
 *        checkpoints written before runs had owners (and by writers that do not own runs, e.g. tests)
 */
public record CheckpointManifest(
        int formatVersion,
        String runId,
        int epoch,
        String createdAt,
        long createdAtEpochMs,
        String normalization,
        Map<String, Double> metrics,
        List<FileEntry> files,
        Writer writer) {

    public static final int FORMAT_VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .enable(SerializationFeature.INDENT_OUTPUT);

    /** One file of the checkpoint, as it was written. */
    public record FileEntry(String name, long size, String sha256) {
    }

    /**
     * Who wrote a checkpoint: the owner id of the trainer process and the generation (epoch) of its ownership of the
     * run. Generations of one run only grow, so the manifests of a run, in the order they were written, show every
     * hand-over of the run and never two owners at once.
     */
    public record Writer(String owner, long generation) {
    }

    /** A manifest without a writer (checkpoints of runs without ownership). */
    public CheckpointManifest(int formatVersion, String runId, int epoch, String createdAt, long createdAtEpochMs,
            String normalization, Map<String, Double> metrics, List<FileEntry> files) {
        this(formatVersion, runId, epoch, createdAt, createdAtEpochMs, normalization, metrics, files, null);
    }

    public CheckpointManifest {
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
        files = files == null ? List.of() : List.copyOf(files);
    }

    public CheckpointRef ref() {
        return new CheckpointRef(runId, epoch);
    }

    public Optional<FileEntry> file(String name) {
        return files.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static CheckpointManifest fromJson(byte[] json) {
        try {
            return JSON.readValue(json, CheckpointManifest.class);
        } catch (IOException e) {
            throw new CheckpointIntegrityException("not a checkpoint manifest: " + e.getMessage(), e);
        }
    }
}
