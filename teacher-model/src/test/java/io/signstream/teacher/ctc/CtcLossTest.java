package io.signstream.teacher.ctc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.signstream.teacher.ctc.CtcLoss.Reduction;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * CTC against independent values: PyTorch's ctc_loss (fixtures from src/test/python/make_ctc_fixtures.py)
 * and probability sums written out by hand.
 */
class CtcLossTest {

    private static final double TOLERANCE = 1e-4;
    /**
     * Against torch's own float32 run the gap is torch's rounding, not ours: on "large-vocab" torch float32
     * differs from torch float64 by 1.004e-4 in the logits gradient, while this implementation stays within
     * 1e-6 of float64.
     */
    private static final double TORCH_FLOAT32_TOLERANCE = 2.5e-4;
    private static final ObjectMapper JSON = new ObjectMapper();

    static List<String> fixtures() throws IOException {
        List<String> names = new ArrayList<>();
        read("index.json").get("cases").forEach(n -> names.add(n.asText()));
        return names;
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void matchesTorchLossAndLogitsGradient(String name) throws IOException {
        JsonNode fixture = read(name + ".json");
        int batch = fixture.get("batch").asInt();
        int frames = fixture.get("frames").asInt();
        int classes = fixture.get("classes").asInt();
        float[] logProbs = flatten(fixture.get("logProbs"));
        int[] inputLengths = ints(fixture.get("inputLengths"));
        int[][] targets = new int[batch][];
        for (int b = 0; b < batch; b++) {
            targets[b] = ints(fixture.get("targets").get(b));
        }
        CtcLoss.Result mean = CtcLoss.compute(logProbs, batch, frames, classes, inputLengths, targets, Reduction.MEAN);
        CtcLoss.Result sum = CtcLoss.compute(logProbs, batch, frames, classes, inputLengths, targets, Reduction.SUM);
        // float64 = torch on the same float32 inputs in double precision; float32 = torch at training precision.
        for (String precision : new String[] {"float64", "float32"}) {
            JsonNode torch = fixture.get(precision);
            double[] expectedPerSample = doubles(torch.get("lossPerSample"));
            for (int b = 0; b < batch; b++) {
                assertRelative(expectedPerSample[b], mean.lossPerSample()[b], name + " " + precision + " sample " + b);
            }
            assertRelative(torch.get("lossMean").asDouble(), mean.loss(), name + " " + precision + " mean");
            assertRelative(torch.get("lossSum").asDouble(), sum.loss(), name + " " + precision + " sum");
            double tolerance = precision.equals("float64") ? TOLERANCE : TORCH_FLOAT32_TOLERANCE;
            assertGradient(flatten(torch.get("gradLogitsMean")),
                    CtcLoss.logitsGradient(logProbs, mean.gradient(), classes), name + " " + precision + " mean",
                    tolerance);
            assertGradient(flatten(torch.get("gradLogitsSum")),
                    CtcLoss.logitsGradient(logProbs, sum.gradient(), classes), name + " " + precision + " sum",
                    tolerance);
            JsonNode raw = torch.get("lossPerSampleWithoutZeroInfinity");
            int infinite = 0;
            for (int b = 0; b < batch; b++) {
                boolean impossible = raw.get(b).isTextual();
                infinite += impossible ? 1 : 0;
                assertEquals(!impossible, mean.feasible()[b], name + " feasibility of sample " + b);
            }
            assertEquals(infinite, mean.impossible(), name + " impossible count");
        }
    }

    @Test
    void impossibleSampleHasZeroLossAndZeroGradient() throws IOException {
        JsonNode fixture = read("impossible.json");
        float[] logProbs = flatten(fixture.get("logProbs"));
        CtcLoss.Result result = CtcLoss.compute(logProbs, 2, 8, 5, new int[] {4, 8},
                new int[][] {{1, 1, 1}, {2, 3}}, Reduction.MEAN);
        assertEquals(1, result.impossible());
        assertEquals(0.0, result.lossPerSample()[0]);
        for (int i = 0; i < 8 * 5; i++) {
            assertEquals(0f, result.gradient()[i], "sample 0 gradient " + i);
        }
        assertTrue(result.lossPerSample()[1] > 0);
    }

    // ---- hand-computed cases: two classes, blank 0 and label 1; p_t(c) chosen, log-probs = ln p ----

    @Test
    void oneFrameOneLabel() {
        // T=1, target [1]: the only path is "1", P = p0(1) = 0.7.
        CtcLoss.Result r = single(new double[][] {{0.3, 0.7}}, new int[] {1}, Reduction.SUM);
        assertEquals(-Math.log(0.7), r.loss(), 1e-7);
        // d(-ln P)/d ln p0(1) = -1 (every path uses it), blank unused.
        assertArrayEquals(new float[] {0f, -1f}, r.gradient(), 1e-6f);
    }

    @Test
    void twoFramesOneLabel() {
        // T=2, target [1]: paths "11", "01", "10" -> P = a1*b1 + a0*b1 + a1*b0 with a = frame 0, b = frame 1.
        double a0 = 0.4, a1 = 0.6, b0 = 0.2, b1 = 0.8;
        double p = a1 * b1 + a0 * b1 + a1 * b0; // 0.48 + 0.32 + 0.12 = 0.92
        CtcLoss.Result r = single(new double[][] {{a0, a1}, {b0, b1}}, new int[] {1}, Reduction.SUM);
        assertEquals(-Math.log(p), r.loss(), 1e-7);
        // Gradient wrt ln p_t(c) = -(sum of the probabilities of paths using c at t) / P.
        float[] expected = {
            (float) (-(a0 * b1) / p), (float) (-(a1 * b1 + a1 * b0) / p),
            (float) (-(a1 * b0) / p), (float) (-(a1 * b1 + a0 * b1) / p)};
        assertArrayEquals(expected, r.gradient(), 1e-6f);
    }

    @Test
    void repeatedLabelNeedsABlankBetween() {
        // T=3, target [1, 1]: the only path is "1 0 1", P = a1 * b0 * c1.
        double[][] p = {{0.1, 0.9}, {0.5, 0.5}, {0.25, 0.75}};
        CtcLoss.Result r = single(p, new int[] {1, 1}, Reduction.SUM);
        assertEquals(-Math.log(0.9 * 0.5 * 0.75), r.loss(), 1e-7);
        assertArrayEquals(new float[] {0, -1, -1, 0, 0, -1}, r.gradient(), 1e-6f);
        // With two frames it needs 3: impossible, zero_infinity gives 0 and no gradient.
        CtcLoss.Result impossible = single(new double[][] {{0.5, 0.5}, {0.5, 0.5}}, new int[] {1, 1}, Reduction.SUM);
        assertEquals(1, impossible.impossible());
        assertEquals(0.0, impossible.loss());
        assertFalse(impossible.feasible()[0]);
        assertArrayEquals(new float[4], impossible.gradient());
    }

    @Test
    void emptyTargetIsAllBlanks() {
        // T=2, target []: P = a0 * b0; 'mean' divides by max(1, 0) = 1.
        CtcLoss.Result r = single(new double[][] {{0.4, 0.6}, {0.2, 0.8}}, new int[] {}, Reduction.MEAN);
        assertEquals(-Math.log(0.4 * 0.2), r.loss(), 1e-7);
        assertArrayEquals(new float[] {-1, 0, -1, 0}, r.gradient(), 1e-6f);
    }

    @Test
    void meanDividesByTargetLengthAndBatch() {
        // Two copies of the T=3 [1,1] case (loss l): mean = (l/2 + l/2) / 2 = l/2.
        double l = -Math.log(0.9 * 0.5 * 0.75);
        float[] lp = logs(new double[][] {{0.1, 0.9}, {0.5, 0.5}, {0.25, 0.75}, {0.1, 0.9}, {0.5, 0.5}, {0.25, 0.75}});
        CtcLoss.Result r = CtcLoss.compute(lp, 2, 3, 2, new int[] {3, 3}, new int[][] {{1, 1}, {1, 1}}, Reduction.MEAN);
        assertEquals(l / 2, r.loss(), 1e-7);
        assertEquals(-0.25f, r.gradient()[1], 1e-6f);
    }

    @Test
    void refusesLabelsOutsideTheClasses() {
        float[] lp = logs(new double[][] {{0.5, 0.5}});
        assertThrows(IllegalArgumentException.class,
                () -> CtcLoss.compute(lp, 1, 1, 2, new int[] {1}, new int[][] {{2}}, Reduction.SUM));
        assertThrows(IllegalArgumentException.class,
                () -> CtcLoss.compute(lp, 1, 1, 2, new int[] {1}, new int[][] {{0}}, Reduction.SUM));
        assertThrows(IllegalArgumentException.class,
                () -> CtcLoss.compute(lp, 1, 1, 2, new int[] {2}, new int[][] {{1}}, Reduction.SUM));
    }

    @Test
    void requiredFramesCountsRepeats() {
        assertEquals(0, CtcLoss.requiredFrames(new int[] {}));
        assertEquals(3, CtcLoss.requiredFrames(new int[] {1, 2, 3}));
        assertEquals(5, CtcLoss.requiredFrames(new int[] {1, 1, 1}));
        assertEquals(6, CtcLoss.requiredFrames(new int[] {2, 2, 3, 3}));
    }

    private static CtcLoss.Result single(double[][] probabilities, int[] target, Reduction reduction) {
        return CtcLoss.compute(logs(probabilities), 1, probabilities.length, probabilities[0].length,
                new int[] {probabilities.length}, new int[][] {target}, reduction);
    }

    private static float[] logs(double[][] probabilities) {
        int classes = probabilities[0].length;
        float[] out = new float[probabilities.length * classes];
        for (int t = 0; t < probabilities.length; t++) {
            for (int c = 0; c < classes; c++) {
                out[t * classes + c] = (float) Math.log(probabilities[t][c]);
            }
        }
        return out;
    }

    private static void assertRelative(double expected, double actual, String what) {
        double error = Math.abs(expected - actual) / Math.max(Math.abs(expected), 1e-12);
        if (expected == 0) {
            error = Math.abs(actual);
        }
        assertTrue(error < TOLERANCE, what + ": expected " + expected + " got " + actual + " (relative " + error + ")");
    }

    /** Relative error of a gradient: max |difference| over max |reference| (element-wise is meaningless near 0). */
    private static void assertGradient(float[] expected, float[] actual, String what, double tolerance) {
        assertEquals(expected.length, actual.length);
        double maxDifference = 0;
        double scale = 0;
        for (int i = 0; i < expected.length; i++) {
            maxDifference = Math.max(maxDifference, Math.abs(expected[i] - actual[i]));
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        double error = scale == 0 ? maxDifference : maxDifference / scale;
        assertTrue(error < tolerance, what + " gradient relative error " + error);
    }

    private static JsonNode read(String name) throws IOException {
        try (InputStream in = CtcLossTest.class.getResourceAsStream("/ctc/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture " + name);
            }
            return JSON.readTree(in);
        }
    }

    private static float[] flatten(JsonNode nested) {
        List<Float> values = new ArrayList<>();
        collect(nested, values);
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    private static void collect(JsonNode node, List<Float> values) {
        if (node.isArray()) {
            node.forEach(child -> collect(child, values));
        } else {
            values.add((float) node.asDouble());
        }
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }

    private static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asDouble();
        }
        return out;
    }
}
