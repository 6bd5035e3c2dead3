package io.signstream.teacher.ctc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.signstream.teacher.TeacherConfig;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The CTC gradient at the output lengths each stride gives a PHOENIX-shaped sentence (140 frames, 12 glosses with two
 * adjacent repeats: 14 frames needed), checked against central finite differences of the loss (an independent
 * numeric derivative, not the forward-backward's own algebra).
 */
class CtcStrideGradientTest {

    private static final int[] TARGET = {3, 7, 7, 1, 9, 4, 4, 2, 8, 5, 6, 10};
    private static final int CLASSES = 11;

    @ParameterizedTest
    @ValueSource(ints = {1, 4, 16})
    void gradientMatchesFiniteDifferencesAtEachStridesLength(int stride) {
        int frames = TeacherConfig.small().withTemporalStride(stride).outputLength(140);
        assertEquals((140 + stride - 1) / stride, frames);
        Random random = new Random(stride);
        double[] logits = new double[frames * CLASSES];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = random.nextGaussian();
        }
        CtcLoss.Result result = loss(logits, frames);
        if (stride == 16) {
            // 9 outputs for 14 needed frames: zero_infinity, no gradient.
            assertEquals(1, result.impossible());
            assertEquals(0.0, result.loss());
            for (float g : result.gradient()) {
                assertEquals(0f, g);
            }
            return;
        }
        assertEquals(0, result.impossible());
        float[] analytic = CtcLoss.logitsGradient(logSoftmax(logits, frames), result.gradient(), CLASSES);
        double h = 1e-2;
        double worst = 0;
        for (int probe = 0; probe < 60; probe++) {
            int i = random.nextInt(logits.length);
            double saved = logits[i];
            logits[i] = saved + h;
            double up = loss(logits, frames).loss();
            logits[i] = saved - h;
            double down = loss(logits, frames).loss();
            logits[i] = saved;
            double numeric = (up - down) / (2 * h);
            worst = Math.max(worst, Math.abs(numeric - analytic[i]));
        }
        assertTrue(worst < 2e-3, "largest difference from finite differences " + worst + " at stride " + stride);
    }

    private static CtcLoss.Result loss(double[] logits, int frames) {
        return CtcLoss.compute(logSoftmax(logits, frames), 1, frames, CLASSES, new int[] {frames},
                new int[][] {TARGET}, CtcLoss.Reduction.SUM);
    }

    private static float[] logSoftmax(double[] logits, int frames) {
        float[] out = new float[logits.length];
        for (int t = 0; t < frames; t++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < CLASSES; c++) {
                max = Math.max(max, logits[t * CLASSES + c]);
            }
            double sum = 0;
            for (int c = 0; c < CLASSES; c++) {
                sum += Math.exp(logits[t * CLASSES + c] - max);
            }
            for (int c = 0; c < CLASSES; c++) {
                out[t * CLASSES + c] = (float) (logits[t * CLASSES + c] - max - Math.log(sum));
            }
        }
        return out;
    }
}
