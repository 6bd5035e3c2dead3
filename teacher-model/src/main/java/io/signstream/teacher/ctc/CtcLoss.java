package io.signstream.teacher.ctc;

import io.signstream.scoring.LogSpace;

/**
 * CTC loss and its exact gradient, computed on the host in double precision (DJL has no CTC op).
 *
 * <p>Conventions follow {@code torch.nn.functional.ctc_loss}: blank = 0, log-space forward-backward,
 * repeated labels need a blank between them, per-sample input and target lengths. An impossible alignment
 * (fewer frames than labels + repeats, or a likelihood that underflows to zero) is handled like
 * {@code zero_infinity=True}: that sample's loss is 0, its gradient 0, and it is counted in
 * {@link Result#impossible()}.
 *
 * <p>Reductions: {@link Reduction#MEAN} is torch's 'mean' (each sample's loss divided by its target length,
 * clamped to at least 1, then averaged over the batch, impossible samples included as 0); {@link Reduction#SUM}
 * sums the per-sample losses. The gradient is the true partial derivative of the reduced loss with respect
 * to the log-probabilities, {@code -posterior(t, c)} scaled by the reduction. Feeding it back through
 * {@code sum(gradient * logProbs)} makes autograd produce {@code softmax - posterior} for the logits,
 * exactly torch's logits gradient.
 */
public final class CtcLoss {

    public static final int BLANK = 0;

    public enum Reduction { MEAN, SUM }

    /**
     * @param lossPerSample negative log-likelihood of each sample's target (0 for an impossible sample)
     * @param feasible whether each sample's target could be aligned
     * @param loss the reduced loss
     * @param gradient d(loss)/d(logProbs), same [B, frames, classes] layout as the input, 0 on padded frames
     * @param impossible number of samples treated as zero_infinity
     */
    public record Result(double[] lossPerSample, boolean[] feasible, double loss, float[] gradient, int impossible) {}

    private CtcLoss() {}

    /** Frames a target needs: one per label plus a blank between each pair of equal neighbours. */
    public static int requiredFrames(int[] target) {
        return requiredFrames(java.util.Arrays.stream(target).boxed().toList());
    }

    /** The same rule for labels of any kind (gloss names before they are encoded): equal neighbours need a blank. */
    public static int requiredFrames(java.util.List<?> labels) {
        int required = labels.size();
        for (int i = 1; i < labels.size(); i++) {
            if (labels.get(i).equals(labels.get(i - 1))) {
                required++;
            }
        }
        return required;
    }

    /**
     * @param logProbs log-softmax outputs, row-major [batch, frames, classes]
     * @param inputLengths valid frames per sample (1..frames)
     * @param targets label ids 1..classes-1 per sample (may be empty)
     */
    public static Result compute(float[] logProbs, int batch, int frames, int classes, int[] inputLengths,
            int[][] targets, Reduction reduction) {
        if (logProbs.length != (long) batch * frames * classes) {
            throw new IllegalArgumentException("logProbs must hold batch x frames x classes values");
        }
        if (inputLengths.length != batch || targets.length != batch) {
            throw new IllegalArgumentException("need one input length and one target per sample");
        }
        double[] losses = new double[batch];
        boolean[] feasible = new boolean[batch];
        float[] gradient = new float[logProbs.length];
        double[] sampleGradient = new double[frames * classes];
        double total = 0;
        int impossible = 0;
        for (int b = 0; b < batch; b++) {
            int length = inputLengths[b];
            if (length < 1 || length > frames) {
                throw new IllegalArgumentException("input length " + length + " outside 1.." + frames);
            }
            for (int label : targets[b]) {
                if (label <= BLANK || label >= classes) {
                    throw new IllegalArgumentException("label " + label + " outside 1.." + (classes - 1));
                }
            }
            int offset = b * frames * classes;
            double nll = requiredFrames(targets[b]) > length ? Double.POSITIVE_INFINITY
                    : sample(logProbs, offset, length, classes, targets[b], sampleGradient);
            if (!Double.isFinite(nll)) {
                impossible++;
                continue;
            }
            feasible[b] = true;
            losses[b] = nll;
            double scale = reduction == Reduction.MEAN ? 1.0 / (batch * Math.max(1, targets[b].length)) : 1.0;
            total += nll * scale;
            for (int i = 0; i < length * classes; i++) {
                gradient[offset + i] = (float) (sampleGradient[i] * scale);
            }
        }
        return new Result(losses, feasible, total, gradient, impossible);
    }

    /**
     * Converts a gradient with respect to log-softmax outputs into one with respect to the logits (what
     * autograd does through log_softmax): g - softmax * sum(g), per frame. For comparisons with torch.
     */
    public static float[] logitsGradient(float[] logProbs, float[] gradient, int classes) {
        float[] out = new float[gradient.length];
        for (int row = 0; row < gradient.length / classes; row++) {
            int o = row * classes;
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                sum += gradient[o + c];
            }
            for (int c = 0; c < classes; c++) {
                out[o + c] = (float) (gradient[o + c] - Math.exp(logProbs[o + c]) * sum);
            }
        }
        return out;
    }

    /**
     * Negative log-likelihood of one sample; fills {@code gradient[t * classes + c]} (t < frames) with
     * d(nll)/d(logProbs). Returns +infinity when no alignment has non-zero probability.
     */
    private static double sample(float[] logProbs, int offset, int frames, int classes, int[] target,
            double[] gradient) {
        int states = 2 * target.length + 1;
        int[] label = new int[states];
        for (int s = 0; s < states; s++) {
            label[s] = s % 2 == 0 ? BLANK : target[s / 2];
        }
        double[][] alpha = new double[frames][states];
        double[][] beta = new double[frames][states];
        for (double[] row : alpha) {
            java.util.Arrays.fill(row, Double.NEGATIVE_INFINITY);
        }
        for (double[] row : beta) {
            java.util.Arrays.fill(row, Double.NEGATIVE_INFINITY);
        }
        alpha[0][0] = lp(logProbs, offset, classes, 0, label[0]);
        if (states > 1) {
            alpha[0][1] = lp(logProbs, offset, classes, 0, label[1]);
        }
        for (int t = 1; t < frames; t++) {
            for (int s = 0; s < states; s++) {
                double a = alpha[t - 1][s];
                if (s > 0) {
                    a = LogSpace.add(a, alpha[t - 1][s - 1]);
                }
                if (s > 1 && label[s] != BLANK && label[s] != label[s - 2]) {
                    a = LogSpace.add(a, alpha[t - 1][s - 2]);
                }
                alpha[t][s] = a + lp(logProbs, offset, classes, t, label[s]);
            }
        }
        double logLikelihood = alpha[frames - 1][states - 1];
        if (states > 1) {
            logLikelihood = LogSpace.add(logLikelihood, alpha[frames - 1][states - 2]);
        }
        if (!Double.isFinite(logLikelihood)) {
            return Double.POSITIVE_INFINITY;
        }
        int last = frames - 1;
        beta[last][states - 1] = lp(logProbs, offset, classes, last, label[states - 1]);
        if (states > 1) {
            beta[last][states - 2] = lp(logProbs, offset, classes, last, label[states - 2]);
        }
        for (int t = last - 1; t >= 0; t--) {
            for (int s = 0; s < states; s++) {
                double b = beta[t + 1][s];
                if (s < states - 1) {
                    b = LogSpace.add(b, beta[t + 1][s + 1]);
                }
                if (s < states - 2 && label[s] != BLANK && label[s] != label[s + 2]) {
                    b = LogSpace.add(b, beta[t + 1][s + 2]);
                }
                beta[t][s] = b + lp(logProbs, offset, classes, t, label[s]);
            }
        }
        // alpha and beta both include frame t's emission: alpha*beta / y = probability of paths through (t, s).
        java.util.Arrays.fill(gradient, 0.0);
        double[] occupancy = new double[classes];
        for (int t = 0; t < frames; t++) {
            java.util.Arrays.fill(occupancy, Double.NEGATIVE_INFINITY);
            for (int s = 0; s < states; s++) {
                occupancy[label[s]] = LogSpace.add(occupancy[label[s]], alpha[t][s] + beta[t][s]);
            }
            for (int c = 0; c < classes; c++) {
                if (occupancy[c] != Double.NEGATIVE_INFINITY) {
                    double logPosterior = occupancy[c] - lp(logProbs, offset, classes, t, c) - logLikelihood;
                    gradient[t * classes + c] = -Math.exp(logPosterior);
                }
            }
        }
        return -logLikelihood;
    }

    private static double lp(float[] logProbs, int offset, int classes, int t, int c) {
        return logProbs[offset + t * classes + c];
    }
}
