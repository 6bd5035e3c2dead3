package io.signstream.trainer.api;

import io.signstream.teacher.SpeedPerturbation;
import io.signstream.teacher.TeacherConfig;

/**
 * Body of {@code POST /runs}; every field may be left out.
 *
 * @param runId [A-Za-z0-9][A-Za-z0-9._-]{0,127}; generated when absent
 * @param epochs default 10
 * @param batchSize default 2
 * @param learningRate peak learning rate, default 5e-4
 * @param warmupSteps default: a tenth of the run's steps
 * @param seed default 42
 * @param model "small" or "defaults" (the research teacher, default); ignored when modelConfig is given
 * @param modelConfig a full teacher configuration
 * @param maxFrames longer samples are skipped; default signstream.validation.max-frames
 * @param maxConsecutiveSkips default signstream.trainer.max-consecutive-skips
 * @param clipNorm global gradient-norm clip, default 1.0
 * @param temporalStride input frames per model output frame, 1, 4 or 16; default the model's (4 in both presets);
 *        overrides the preset's or modelConfig's
 * @param temporalAttention self-attention over the frames before the convolutions; default the model's
 * @param maxUnalignableShare the run is refused (FAILED, reason UNALIGNABLE_SAMPLES) when a larger share of its train
 *        samples cannot be aligned at its stride; within [0, 1], default signstream.trainer.max-unalignable-share
 * @param dropout dropout before the LSTM and the classifier; default the model's
 * @param speedPerturbation {@code {"minFactor": 0.7, "maxFactor": 1.4}}: every train sample resampled each epoch to a
 *        random signing speed in that range; default none
 * @param auxiliaryCtcWeight weight of the auxiliary CTC loss on the convolutional features (0 = off); default the
 *        model's
 * @param weightAverageDecay decay of the weights' moving average that checkpoints hold and evaluation scores, in
 *        [0, 1) (0 = off: checkpoints hold the trained weights); default the model's
 */
public record RunRequest(String runId, Integer epochs, Integer batchSize, Float learningRate, Integer warmupSteps,
        Long seed, String model, TeacherConfig modelConfig, Integer maxFrames, Integer maxConsecutiveSkips,
        Float clipNorm, Integer temporalStride, Boolean temporalAttention, Double maxUnalignableShare, Float dropout,
        SpeedPerturbation speedPerturbation, Float auxiliaryCtcWeight, Float weightAverageDecay) {

    /** Every field left out. */
    public static RunRequest empty() {
        return new RunRequest(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null);
    }
}
