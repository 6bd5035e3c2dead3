package io.signstream.teacher;

/**
 * Linear warmup from 0 to {@code peak} over {@code warmupSteps}, then cosine decay to 0 at {@code totalSteps}.
 * Steps count from 0; past {@code totalSteps} the rate stays 0.
 */
public record LearningRateSchedule(float peak, int warmupSteps, int totalSteps) {

    public LearningRateSchedule {
        if (!(peak > 0) || warmupSteps < 0 || totalSteps <= 0 || warmupSteps > totalSteps) {
            throw new IllegalArgumentException("need peak > 0 and 0 <= warmupSteps <= totalSteps, totalSteps > 0");
        }
    }

    public float at(int step) {
        if (step < 0) {
            throw new IllegalArgumentException("step must not be negative");
        }
        if (step < warmupSteps) {
            // step + 1 so the very first update already moves the parameters.
            return peak * (step + 1) / warmupSteps;
        }
        if (step >= totalSteps) {
            return 0f;
        }
        int decaySteps = totalSteps - warmupSteps;
        double progress = (double) (step - warmupSteps) / decaySteps;
        return (float) (peak * 0.5 * (1 + Math.cos(Math.PI * progress)));
    }
}
