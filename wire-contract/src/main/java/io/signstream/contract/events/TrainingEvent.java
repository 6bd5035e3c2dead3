package io.signstream.contract.events;

import java.util.Map;

/**
 * One message on {@code training.events} (JSON, key = run id). The evaluator reacts to
 * {@link Type#CHECKPOINT_WRITTEN}: the checkpoint's manifest is already in the bucket when it is sent.
 *
 * @param normalization the stamp description of the data the run trained on (see NormalizationStamps#describe)
 */
public record TrainingEvent(
        Type type,
        String runId,
        int epoch,
        String bucket,
        String checkpointPrefix,
        String normalization,
        Map<String, Double> metrics,
        String message,
        long timestampEpochMs) {

    public enum Type {
        RUN_STARTED,
        CHECKPOINT_WRITTEN,
        RUN_COMPLETED,
        RUN_STOPPED,
        RUN_FAILED
    }
}
