package io.signstream.teacher;

/**
 * Outcome of one training step.
 *
 * @param loss the batch CTC loss (mean over samples of loss / target length); NaN when it could not be computed
 * @param gradNorm global L2 norm of all gradients before clipping; NaN when the step stopped before backward
 * @param skipped true when the parameters were left untouched (non-finite loss, output or gradient)
 * @param skipReason why it was skipped, null otherwise
 */
public record StepResult(double loss, double gradNorm, boolean skipped, String skipReason) {

    public static StepResult applied(double loss, double gradNorm) {
        return new StepResult(loss, gradNorm, false, null);
    }

    public static StepResult skipped(double loss, double gradNorm, String reason) {
        return new StepResult(loss, gradNorm, true, reason);
    }
}
