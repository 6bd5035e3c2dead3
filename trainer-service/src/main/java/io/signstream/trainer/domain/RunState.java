package io.signstream.trainer.domain;

import java.util.List;
import java.util.Map;

import io.signstream.checkpoint.CheckpointDamage;
import io.signstream.teacher.diagnostics.TeacherDiagnostics.FeatureStatistics;

/**
 * A run as {@code GET /runs/{id}} shows it and as {@code runs/{runId}/run.json} keeps it (updated at every status
 * change and epoch end, so the bucket always knows which runs were still running when their pod died).
 *
 * @param reason why a FAILED run failed, as a stable code, where the trainer knows one ({@code UNALIGNABLE_SAMPLES}:
 *        refused at start, see {@link Feasibility}); null otherwise, the message says what happened
 * @param epoch the epoch in progress (or the last one trained when the run has ended)
 * @param step optimizer steps taken so far in the whole run, skipped ones included (the schedule's position)
 * @param loss CTC loss of the last applied step
 * @param gradNorm global gradient norm of the last applied step, before clipping
 * @param learningRate learning rate of the last step
 * @param skippedBatches steps skipped for a non-finite loss, output or gradient (run total)
 * @param samplesPerSecond training throughput since this process started or resumed the run
 * @param etaSeconds estimated time to the end of the run
 * @param epochLosses mean training loss of each completed epoch, epoch 1 first
 * @param resumedFromEpoch the checkpoint epoch this process resumed from, null for an uninterrupted run
 * @param skippedCheckpoints checkpoints the last resume passed over because they failed their manifest check (SHA-256
 *        or size of a file, unreadable manifest): epoch, file, why, newest first; marked {@code corrupted.json} in
 *        the bucket. Null or empty when none was skipped
 * @param refusedRecords train records refused (not stamped, mixed normalization, invalid), by reason, last pass
 * @param featureDerivations how the train split's features were made (a landmark derivation and its version, or
 *        as uploaded), with counts, last pass: more than one entry means the run trains on a mix, and says so
 * @param skippedSamples usable-stamped samples not trained on (too long, unknown gloss, ...), by reason, last pass
 * @param feasibility train samples that cannot be aligned at the model's temporal stride (count, share, limit,
 *        counts at the other strides and the largest stride within the limit), from the scan at run start; null
 *        until the scan ends
 * @param firstBatch statistics of the first batch's (normalized) features, overall and per modality
 * @param owner the trainer process that trains (or last trained) the run, null while it was never taken or for a run
 *        of a trainer without the queue
 * @param ownerGeneration the generation of that owner's lease on the run: it grows by one at every hand-over
 * @param inputWait how long the steps of this process waited for their batches: the epoch in progress and each
 *        epoch completed since this process started or resumed the run (null before the first epoch starts, and
 *        in run.json files written before it existed)
 */
public record RunState(
        String runId,
        RunStatus status,
        String message,
        String reason,
        RunOptions options,
        String device,
        int epoch,
        int epochs,
        long step,
        long totalSteps,
        int stepsPerEpoch,
        int warmupSteps,
        Double loss,
        Double gradNorm,
        Double learningRate,
        long skippedBatches,
        int consecutiveSkips,
        Double samplesPerSecond,
        Double etaSeconds,
        List<Double> epochLosses,
        Integer lastCheckpointEpoch,
        String lastCheckpoint,
        Integer resumedFromEpoch,
        List<CheckpointDamage> skippedCheckpoints,
        Integer vocabularySize,
        String normalization,
        Map<String, Long> refusedRecords,
        Map<String, Long> featureDerivations,
        Map<String, Long> skippedSamples,
        Feasibility feasibility,
        FeatureStatistics firstBatch,
        long createdAtEpochMs,
        long updatedAtEpochMs,
        String owner,
        Long ownerGeneration,
        InputWait.Report inputWait) {

    /** The same run with another status and message (queued again, stopped while queued), updated now. */
    public RunState with(RunStatus newStatus, String newMessage) {
        return new RunState(runId, newStatus, newMessage, newStatus == RunStatus.FAILED ? reason : null, options, device,
                epoch, epochs, step, totalSteps, stepsPerEpoch, warmupSteps, loss, gradNorm, learningRate,
                skippedBatches, consecutiveSkips, samplesPerSecond, etaSeconds, epochLosses, lastCheckpointEpoch,
                lastCheckpoint, resumedFromEpoch, skippedCheckpoints, vocabularySize, normalization, refusedRecords,
                featureDerivations, skippedSamples, feasibility, firstBatch, createdAtEpochMs,
                System.currentTimeMillis(), owner, ownerGeneration, inputWait);
    }

    /** The same with {@link #reason()} set (a run that could not be queued). */
    public RunState withReason(String newReason) {
        return new RunState(runId, status, message, newReason, options, device, epoch, epochs, step, totalSteps,
                stepsPerEpoch, warmupSteps, loss, gradNorm, learningRate, skippedBatches, consecutiveSkips,
                samplesPerSecond, etaSeconds, epochLosses, lastCheckpointEpoch, lastCheckpoint, resumedFromEpoch,
                skippedCheckpoints, vocabularySize, normalization, refusedRecords, featureDerivations, skippedSamples,
                feasibility, firstBatch, createdAtEpochMs, updatedAtEpochMs, owner, ownerGeneration, inputWait);
    }
}
