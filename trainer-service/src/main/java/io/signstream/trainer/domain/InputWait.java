package io.signstream.trainer.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How long the training loop waits for its next batch, against how long its steps take. The loader reads and
 * batches the next data while the model trains; if it falls behind (a slow broker, a fast GPU), the model idles,
 * and this says by how much: per epoch, the seconds spent waiting for batches and the share of waiting in
 * wait + step time. The wait of a step is the time from the end of the previous step (or of the epoch's
 * checkpoint, or of the run's start) to its batch's arrival.
 * <p>
 * Used by the training thread only; {@link #report()} copies for the status.
 */
public final class InputWait {

    /** What the status and the training events show. */
    public record Report(Epoch current, List<Epoch> epochs) {

        public Report {
            epochs = List.copyOf(epochs);
        }
    }

    /**
     * @param waitSeconds time waiting for batches in the epoch so far
     * @param stepSeconds time in training steps in the epoch so far
     * @param share waitSeconds / (waitSeconds + stepSeconds), 0 before the first step
     * @param maxWaitSeconds the longest single wait
     * @param lastWaitSeconds the wait of the last step
     */
    public record Epoch(int epoch, long steps, double waitSeconds, double stepSeconds, double share,
            double maxWaitSeconds, double lastWaitSeconds) {

        /** For the checkpoint's training event (old readers ignore metric names they do not know). */
        Map<String, Double> metrics() {
            Map<String, Double> metrics = new TreeMap<>();
            metrics.put("input_wait_seconds", waitSeconds);
            metrics.put("input_wait_share", share);
            metrics.put("input_wait_max_seconds", maxWaitSeconds);
            metrics.put("step_seconds", stepSeconds);
            return metrics;
        }
    }

    private final List<Epoch> completed = new ArrayList<>();
    private int epoch;
    private long steps;
    private long waitNanos;
    private long stepNanos;
    private long maxWaitNanos;
    private long lastWaitNanos;

    public InputWait(int firstEpoch) {
        this.epoch = firstEpoch;
    }

    public void step(long waitedNanos, long steppedNanos) {
        steps++;
        waitNanos += waitedNanos;
        stepNanos += steppedNanos;
        maxWaitNanos = Math.max(maxWaitNanos, waitedNanos);
        lastWaitNanos = waitedNanos;
    }

    /** Closes the epoch's figures and starts the next epoch's; returns the closed ones. */
    public Epoch endEpoch(int nextEpoch) {
        Epoch done = current();
        completed.add(done);
        epoch = nextEpoch;
        steps = 0;
        waitNanos = 0;
        stepNanos = 0;
        maxWaitNanos = 0;
        lastWaitNanos = 0;
        return done;
    }

    Epoch current() {
        double wait = waitNanos / 1e9;
        double stepped = stepNanos / 1e9;
        return new Epoch(epoch, steps, wait, stepped, wait + stepped > 0 ? wait / (wait + stepped) : 0.0,
                maxWaitNanos / 1e9, lastWaitNanos / 1e9);
    }

    Report report() {
        return new Report(current(), completed);
    }
}
