package io.signstream.trainer.messaging;

import io.signstream.contract.events.TrainingEvent;

/** Where a run announces its milestones (key = run id, JSON value on {@code training.events}). */
public interface TrainingEvents {

    /**
     * Returns once the broker acknowledged the event: the evaluator loads a checkpoint because of
     * CHECKPOINT_WRITTEN, so a run never goes on as if an announcement was made that was not.
     *
     * @throws IllegalStateException when the broker did not acknowledge it
     */
    void publish(TrainingEvent event);
}
