package io.signstream.trainer.domain;

/** Where a run stands. STARTING and RUNNING runs found in the bucket at startup died with their pod and are resumed. */
public enum RunStatus {
    /** Accepted; reading the train split for the vocabulary or restoring a checkpoint. */
    STARTING,
    RUNNING,
    COMPLETED,
    /** Stopped on request; its last complete checkpoint stays. */
    STOPPED,
    /** Ended by an error or by too many non-finite steps in a row; the message says which. */
    FAILED;

    public boolean isActive() {
        return this == STARTING || this == RUNNING;
    }
}
