package io.signstream.teacher.diagnostics;

import io.signstream.scoring.decode.CtcDecoder;
import io.signstream.scoring.wer.CorpusScore;
import io.signstream.teacher.StepResult;
import io.signstream.teacher.TeacherBatch;
import io.signstream.teacher.TeacherSession;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains on one small batch until greedy decoding reproduces every target (WER 0) or a step cap: the
 * smallest end-to-end proof that model, CTC gradient and optimizer work together. It reached 0% in the
 * research pipeline too; reaching it says nothing about full-scale stability (see the README).
 */
public final class OverfitCheck {

    private static final Logger LOG = LoggerFactory.getLogger(OverfitCheck.class);

    /**
     * @param steps training steps taken (skipped ones included)
     * @param finalLoss CTC loss of the batch after the last step
     * @param finalWer greedy word error rate on the batch after the last step (0.0 = every target reproduced)
     * @param reachedZero whether WER reached 0 within the cap
     * @param skippedSteps steps the non-finite guard skipped
     * @param skipReasons why, one entry per skipped step ("step N: reason")
     * @param hypotheses the last greedy decodings, as gloss ids per sample
     * @param millis wall time
     */
    public record Result(int steps, double finalLoss, double finalWer, boolean reachedZero, int skippedSteps,
            List<String> skipReasons, List<int[]> hypotheses, long millis) {

        @Override
        public String toString() {
            return "OverfitCheck.Result[steps=" + steps + ", finalLoss=" + finalLoss + ", finalWer=" + finalWer
                    + ", reachedZero=" + reachedZero + ", skippedSteps=" + skippedSteps + " " + skipReasons + ", millis="
                    + millis + "]";
        }
    }

    private OverfitCheck() {}

    /**
     * @param session a fresh session (its parameters and optimizer are trained by this call)
     * @param batch one batch with targets; every target must fit its sample's output frames
     * @param maxSteps cap on training steps
     * @param learningRate constant learning rate (no schedule: the point is to memorize)
     */
    public static Result run(TeacherSession session, TeacherBatch batch, int maxSteps, float learningRate) {
        if (batch.targets() == null) {
            throw new IllegalArgumentException("the overfit check needs targets");
        }
        long start = System.nanoTime();
        int skipped = 0;
        List<String> reasons = new ArrayList<>();
        double wer = wer(session, batch);
        int steps = 0;
        while (wer > 0 && steps < maxSteps) {
            StepResult step = session.trainStep(batch, learningRate);
            steps++;
            if (step.skipped()) {
                skipped++;
                reasons.add("step " + steps + ": " + step.skipReason());
            }
            wer = wer(session, batch);
            if (steps % 10 == 0 || wer == 0) {
                LOG.info("overfit step {}: loss {} grad norm {} greedy WER {}", steps, step.loss(), step.gradNorm(), wer);
            }
        }
        return new Result(steps, session.loss(batch), wer, wer == 0, skipped, reasons, decode(session, batch),
                (System.nanoTime() - start) / 1_000_000);
    }

    /** Corpus WER of greedy decodings of the batch against its targets (ids as tokens). */
    public static double wer(TeacherSession session, TeacherBatch batch) {
        List<int[]> hypotheses = decode(session, batch);
        CorpusScore score = new CorpusScore();
        for (int b = 0; b < batch.batchSize(); b++) {
            score.add("sample-" + b, tokens(batch.targets()[b]), tokens(hypotheses.get(b)));
        }
        return score.wer();
    }

    private static List<int[]> decode(TeacherSession session, TeacherBatch batch) {
        List<int[]> hypotheses = new ArrayList<>();
        for (float[][] logProbs : session.logProbs(batch.withoutTargets())) {
            hypotheses.add(CtcDecoder.greedy(logProbs));
        }
        return hypotheses;
    }

    private static List<String> tokens(int[] ids) {
        return Arrays.stream(ids).mapToObj(Integer::toString).toList();
    }
}
