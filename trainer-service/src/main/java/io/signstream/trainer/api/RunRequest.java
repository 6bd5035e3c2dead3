package io.signstream.trainer.api;

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
 */
public record RunRequest(String runId, Integer epochs, Integer batchSize, Float learningRate, Integer warmupSteps,
        Long seed, String model, TeacherConfig modelConfig, Integer maxFrames, Integer maxConsecutiveSkips,
        Float clipNorm) {
}
