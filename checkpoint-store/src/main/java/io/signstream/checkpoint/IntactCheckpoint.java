package io.signstream.checkpoint;

import java.util.List;
import java.util.Map;

/**
 * The newest checkpoint of a run whose every file matched its manifest, the verified content, and the newer
 * checkpoints that were skipped because they did not (newest first).
 */
public record IntactCheckpoint(CheckpointManifest manifest, Map<String, byte[]> files, List<CheckpointDamage> skipped) {

    public IntactCheckpoint {
        files = Map.copyOf(files);
        skipped = List.copyOf(skipped);
    }

    public CheckpointRef ref() {
        return manifest.ref();
    }

    public int epoch() {
        return manifest.epoch();
    }

    /** A file of the checkpoint, already verified. */
    public byte[] file(String name) {
        byte[] content = files.get(name);
        if (content == null) {
            throw new CheckpointException("checkpoint " + ref().prefix() + " has no file '" + name + "'");
        }
        return content;
    }
}
