package io.signstream.trainer.storage;

import java.util.List;

import io.signstream.trainer.domain.RunOptions;

/**
 * {@code training-state.json} in every checkpoint: where the run stood after the checkpoint's epoch, so a resume
 * continues the schedule, the epoch count and the loss history exactly.
 *
 * @param step optimizer steps taken so far (the learning-rate schedule's position)
 */
public record TrainingState(
        String runId,
        int epoch,
        long step,
        long totalSteps,
        int stepsPerEpoch,
        int warmupSteps,
        RunOptions options,
        List<Double> epochLosses,
        long skippedBatches,
        String device) {
}
