package io.signstream.trainer.domain;

/** Where a run stands. QUEUED runs wait in the run queue; STARTING and RUNNING runs are owned by a trainer
 * (their lease), and go back to the queue's next trainer when it dies. */
public enum RunStatus {
    /** Accepted and published to the run queue; no trainer owns it yet. */
    QUEUED,
    /** Accepted; reading the train split for the vocabulary or restoring a checkpoint. */
    STARTING,
    RUNNING,
    COMPLETED,
    /** Stopped on request; its last complete checkpoint stays. */
    STOPPED,
    /** Ended by an error or by too many non-finite steps in a row; the message says which. */
    FAILED;

    /** COMPLETED, STOPPED or FAILED: nothing trains it until it is resumed on request. */
    public boolean isFinal() {
        return this == COMPLETED || this == STOPPED || this == FAILED;
    }

    public boolean isActive() {
        return this == STARTING || this == RUNNING;
    }
}
