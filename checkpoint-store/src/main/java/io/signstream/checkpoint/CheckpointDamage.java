package io.signstream.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * A checkpoint that failed its manifest check, and why: what {@code corrupted.json} next to it records (see
 * {@link CheckpointFiles#CORRUPTED}), what a fallback reports for each checkpoint it skipped.
 *
 * @param file the object that failed (a content file, or {@code manifest.json} when the manifest itself is unreadable)
 * @param detail the check that failed, with both hashes or sizes
 * @param detectedBy who found it ("trainer", "evaluator", ...)
 * @param detectedAt ISO-8601 instant it was found
 * @param quarantine where the damaged objects were copied before the epoch was written again, null until then
 */
public record CheckpointDamage(String runId, int epoch, String file, String detail, String detectedBy,
        String detectedAt, long detectedAtEpochMs, String quarantine) {

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .enable(SerializationFeature.INDENT_OUTPUT);

    @JsonIgnore
    public CheckpointRef ref() {
        return new CheckpointRef(runId, epoch);
    }

    /** One line for logs and status messages: "epoch 3 (parameters.bin: ... fails the SHA-256 check ...)". */
    public String summary() {
        return "epoch " + epoch + " (" + file + ": " + detail + ")";
    }

    public CheckpointDamage quarantinedAt(String prefix) {
        return new CheckpointDamage(runId, epoch, file, detail, detectedBy, detectedAt, detectedAtEpochMs, prefix);
    }

    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static CheckpointDamage fromJson(byte[] json) {
        try {
            return JSON.readValue(json, CheckpointDamage.class);
        } catch (IOException e) {
            throw new CheckpointException("not a checkpoint damage marker: " + e.getMessage(), e);
        }
    }
}
