package io.signstream.trainer.domain;

import io.signstream.checkpoint.CheckpointManifest;

/**
 * What a run checks before each write to the bucket (every checkpoint object, every run.json): that this process
 * still owns the run. A run of a trainer without the run queue has no owner and {@link #NONE} lets every write pass.
 */
public interface RunGuard {

    RunGuard NONE = new RunGuard() {
        @Override
        public CheckpointManifest.Writer writer() {
            return null;
        }

        @Override
        public void check(String object) {
        }
    };

    /** The owner and ownership generation the run is written under; null without ownership. */
    CheckpointManifest.Writer writer();

    /**
     * Returns when this process still owns the run.
     *
     * @throws OwnershipLostException when another owner (a higher generation) holds it: nothing may be written
     */
    void check(String object);

    /** The process lost the run to a successor: a write it was about to make is refused, and it gives the run up. */
    final class OwnershipLostException extends RuntimeException {
        public OwnershipLostException(String message) {
            super(message);
        }
    }
}
