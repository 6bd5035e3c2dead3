package io.signstream.trainer.domain;

import io.signstream.teacher.SpeedPerturbation;
import io.signstream.teacher.TeacherConfig;

/**
 * Everything a run was started with, every default resolved (it is stored in run.json, so a resumed run trains
 * with exactly the same settings).
 *
 * @param epochs passes over the train split
 * @param batchSize samples per step
 * @param learningRate peak of the warmup + cosine schedule
 * @param warmupSteps linear warmup steps; -1 = a tenth of the run's steps (at least 1)
 * @param seed model initialization and per-epoch shuffling
 * @param modelPreset "small" or "defaults" (the research teacher), or "custom" when {@code model} was given
 * @param model the teacher configuration (its clipNorm is the run's gradient clip)
 * @param maxFrames longer samples are skipped (counted), never truncated: truncation would cut glosses off the end
 * @param maxConsecutiveSkips the run fails after this many skipped (non-finite) steps in a row
 * @param maxUnalignableShare the run is refused at start when a larger share of its train samples cannot be aligned
 *        at its model's temporal stride (see {@link Feasibility}); within [0, 1]. Absent in the run.json of a run
 *        started before the limit existed: such a run is resumed without one (1.0), as it was started
 * @param speedPerturbation training-time signing-speed augmentation (each sample resampled per epoch to a random
 *        speed within the range, see {@link SpeedPerturbation}); absent = none (also for an older run.json)
 */
public record RunOptions(
        int epochs,
        int batchSize,
        float learningRate,
        int warmupSteps,
        long seed,
        String modelPreset,
        TeacherConfig model,
        int maxFrames,
        int maxConsecutiveSkips,
        Double maxUnalignableShare,
        SpeedPerturbation speedPerturbation) {

    public static final float DEFAULT_LEARNING_RATE = 5e-4f;
    public static final int MAX_EPOCHS = 9999;

    public RunOptions {
        require(epochs >= 1 && epochs <= MAX_EPOCHS, "epochs must be within 1.." + MAX_EPOCHS + ", not " + epochs);
        require(batchSize >= 1 && batchSize <= 512, "batchSize must be within 1..512, not " + batchSize);
        require(learningRate > 0 && learningRate <= 1 && Float.isFinite(learningRate),
                "learningRate must be in (0, 1], not " + learningRate);
        require(warmupSteps >= -1, "warmupSteps must be -1 (automatic) or >= 0, not " + warmupSteps);
        require(model != null, "a model configuration is needed");
        require(maxFrames >= 1, "maxFrames must be positive, not " + maxFrames);
        require(maxConsecutiveSkips >= 1, "maxConsecutiveSkips must be positive, not " + maxConsecutiveSkips);
        if (maxUnalignableShare == null) {
            maxUnalignableShare = 1.0;
        }
        require(maxUnalignableShare >= 0 && maxUnalignableShare <= 1,
                "maxUnalignableShare must be within [0, 1], not " + maxUnalignableShare);
        if (speedPerturbation == null) {
            speedPerturbation = SpeedPerturbation.none();
        }
    }

    /** With the default limit on unalignable samples ({@link Feasibility#DEFAULT_MAX_UNALIGNABLE_SHARE}). */
    public RunOptions(int epochs, int batchSize, float learningRate, int warmupSteps, long seed, String modelPreset,
            TeacherConfig model, int maxFrames, int maxConsecutiveSkips) {
        this(epochs, batchSize, learningRate, warmupSteps, seed, modelPreset, model, maxFrames, maxConsecutiveSkips,
                Feasibility.DEFAULT_MAX_UNALIGNABLE_SHARE, SpeedPerturbation.none());
    }

    /** Without augmentation. */
    public RunOptions(int epochs, int batchSize, float learningRate, int warmupSteps, long seed, String modelPreset,
            TeacherConfig model, int maxFrames, int maxConsecutiveSkips, Double maxUnalignableShare) {
        this(epochs, batchSize, learningRate, warmupSteps, seed, modelPreset, model, maxFrames, maxConsecutiveSkips,
                maxUnalignableShare, SpeedPerturbation.none());
    }

    /** The warmup steps for a run of {@code totalSteps}. */
    public int warmupFor(int totalSteps) {
        int warmup = warmupSteps >= 0 ? warmupSteps : Math.max(1, totalSteps / 10);
        return Math.min(warmup, totalSteps);
    }

    /** The model configuration for a named preset. */
    public static TeacherConfig preset(String name) {
        return switch (name) {
            case "small" -> TeacherConfig.small();
            case "defaults", "default", "research" -> TeacherConfig.defaults();
            default -> throw new IllegalArgumentException("unknown model preset '" + name
                    + "' (use \"small\" or \"defaults\", or give a full \"modelConfig\")");
        };
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
