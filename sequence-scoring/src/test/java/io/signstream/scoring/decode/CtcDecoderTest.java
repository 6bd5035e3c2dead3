package io.signstream.scoring.decode;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CtcDecoderTest {

    /** log of a probability matrix given row by row. */
    private static float[][] logOf(double[][] probabilities) {
        float[][] logProbs = new float[probabilities.length][];
        for (int t = 0; t < probabilities.length; t++) {
            logProbs[t] = new float[probabilities[t].length];
            for (int c = 0; c < probabilities[t].length; c++) {
                logProbs[t][c] = (float) Math.log(probabilities[t][c]);
            }
        }
        return logProbs;
    }

    /** A random log-softmax matrix; with {@code dominant > 0} one random class per frame gets that mass. */
    private static float[][] randomLogProbs(Random random, int frames, int classes, double dominant) {
        double[][] p = new double[frames][classes];
        for (int t = 0; t < frames; t++) {
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                p[t][c] = random.nextDouble() + 1e-3;
                sum += p[t][c];
            }
            if (dominant > 0) {
                int winner = random.nextInt(classes);
                double rest = sum - p[t][winner];
                for (int c = 0; c < classes; c++) {
                    p[t][c] = c == winner ? dominant : (1 - dominant) * p[t][c] / rest;
                }
            } else {
                for (int c = 0; c < classes; c++) {
                    p[t][c] /= sum;
                }
            }
        }
        return logOf(p);
    }

    @Test
    void greedyTakesArgmaxCollapsesRepeatsAndDropsBlanks() {
        // Best path: 1 1 0 1 2 2 0 -> 1 1 2 (the blank separates the two 1s).
        int[] path = {1, 1, 0, 1, 2, 2, 0};
        double[][] p = new double[path.length][3];
        for (int t = 0; t < path.length; t++) {
            Arrays.fill(p[t], 0.1);
            p[t][path[t]] = 0.8;
        }
        assertArrayEquals(new int[] {1, 1, 2}, CtcDecoder.greedy(logOf(p)));
    }

    @Test
    void beamFindsTheMoreProbableLabellingThatGreedyMisses() {
        // Two frames, classes {blank, a}; both frames: P(blank) = 0.6, P(a) = 0.4.
        // Greedy takes the best path (blank, blank) with probability 0.6 * 0.6 = 0.36 and outputs "".
        // The labelling "a" has three paths: (a,a) 0.4*0.4 = 0.16, (a,blank) 0.4*0.6 = 0.24,
        // (blank,a) 0.6*0.4 = 0.24, in all 0.64 > 0.36: beam search outputs "a".
        float[][] logProbs = logOf(new double[][] {{0.6, 0.4}, {0.6, 0.4}});
        assertArrayEquals(new int[0], CtcDecoder.greedy(logProbs));
        assertArrayEquals(new int[] {1}, CtcDecoder.beamSearch(logProbs, 2));
        assertArrayEquals(new int[] {1}, CtcDecoder.beamSearch(logProbs, 10));

        List<CtcDecoder.Hypothesis> beam = CtcDecoder.beamSearchWithScores(logProbs, 10);
        assertEquals(2, beam.size());
        assertArrayEquals(new int[] {1}, beam.get(0).labels());
        assertEquals(Math.log(0.64), beam.get(0).logProbability(), 1e-6);
        assertArrayEquals(new int[0], beam.get(1).labels());
        assertEquals(Math.log(0.36), beam.get(1).logProbability(), 1e-6);
        assertEquals(Math.log(0.64), CtcDecoder.logLikelihood(logProbs, new int[] {1}), 1e-6);
        assertEquals(Math.log(0.36), CtcDecoder.logLikelihood(logProbs, new int[0]), 1e-6);
    }

    @Test
    void repeatedLabelNeedsABlankBetween() {
        // Frames: a, blank, a (each 0.9, the rest shared): "a a" comes only through the blank in the
        // middle. P("a a") = 0.9^3 + ... dominates; P("a") collects a a a, a _ _, etc.
        float[][] logProbs = logOf(new double[][] {{0.05, 0.9, 0.05}, {0.9, 0.05, 0.05}, {0.05, 0.9, 0.05}});
        assertArrayEquals(new int[] {1, 1}, CtcDecoder.greedy(logProbs));
        assertArrayEquals(new int[] {1, 1}, CtcDecoder.beamSearch(logProbs, 5));
        // Without the blank frame the same two a-frames collapse to one "a".
        float[][] noBlank = logOf(new double[][] {{0.05, 0.9, 0.05}, {0.05, 0.9, 0.05}});
        assertArrayEquals(new int[] {1}, CtcDecoder.beamSearch(noBlank, 5));
        // "a a" needs 3 frames: with 2 frames its probability is exactly 0.
        assertEquals(Double.NEGATIVE_INFINITY, CtcDecoder.logLikelihood(noBlank, new int[] {1, 1}));
    }

    @Test
    void widthOneEqualsGreedyWhenEveryFrameHasADominantClass() {
        // With one class holding >= 90 % per frame (a trained model's typical output), the single best
        // prefix always follows the best path.
        Random random = new Random(7);
        for (int trial = 0; trial < 500; trial++) {
            int frames = 1 + random.nextInt(40);
            int classes = 2 + random.nextInt(8);
            float[][] logProbs = randomLogProbs(random, frames, classes, 0.9 + 0.09 * random.nextDouble());
            assertArrayEquals(CtcDecoder.greedy(logProbs), CtcDecoder.beamSearch(logProbs, 1),
                    "trial " + trial);
        }
    }

    @Test
    void widthOneRanksPrefixesBySummedProbabilityNotByPath() {
        // Frame 1: a certain. Frame 2: blank 0.3, a 0.3, b 0.4. Greedy: a b (path 0.4).
        // A width-1 beam keeps the prefix with the highest sum: "a" = 0.3 (a,blank) + 0.3 (a,a) = 0.6 > "a b" 0.4.
        float[][] logProbs = logOf(new double[][] {{1e-9, 1 - 2e-9, 1e-9}, {0.3, 0.3, 0.4}});
        assertArrayEquals(new int[] {1, 2}, CtcDecoder.greedy(logProbs));
        assertArrayEquals(new int[] {1}, CtcDecoder.beamSearch(logProbs, 1));
        assertTrue(CtcDecoder.logLikelihood(logProbs, new int[] {1})
                > CtcDecoder.logLikelihood(logProbs, new int[] {1, 2}));
    }

    @Test
    void unprunedBeamScoresEqualTheBruteForceSumOverAllAlignments() {
        Random random = new Random(11);
        for (int trial = 0; trial < 60; trial++) {
            int frames = 1 + random.nextInt(5);   // T <= 5
            int classes = 2 + random.nextInt(2);  // V <= 3 (blank included)
            float[][] logProbs = randomLogProbs(random, frames, classes, 0);
            Map<List<Integer>, Double> exact = bruteForce(logProbs);

            // At most 1 + 2 + 4 + 8 + 16 + 32 = 63 prefixes exist: width 100 never prunes.
            List<CtcDecoder.Hypothesis> beam = CtcDecoder.beamSearchWithScores(logProbs, 100);
            assertEquals(exact.size(), beam.size(), "every reachable labelling is in the beam, trial " + trial);
            double total = 0;
            for (CtcDecoder.Hypothesis hypothesis : beam) {
                List<Integer> labels = boxed(hypothesis.labels());
                double expected = Math.log(exact.get(labels));
                assertEquals(expected, hypothesis.logProbability(), 1e-5, labels + " in trial " + trial);
                assertEquals(expected, CtcDecoder.logLikelihood(logProbs, hypothesis.labels()), 1e-5,
                        "forward algorithm for " + labels);
                total += Math.exp(hypothesis.logProbability());
            }
            assertEquals(1.0, total, 1e-5, "labelling probabilities sum to 1");
            List<Integer> best = exact.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
            assertEquals(best, boxed(CtcDecoder.beamSearch(logProbs, 100)), "most probable labelling");
            for (int k = 1; k < beam.size(); k++) {
                assertTrue(beam.get(k - 1).logProbability() >= beam.get(k).logProbability(), "best first");
            }
        }
    }

    @Test
    void zeroProbabilitiesAreHandled() {
        // -infinity entries (probability exactly 0) must not produce NaN.
        float ninf = Float.NEGATIVE_INFINITY;
        float[][] logProbs = {{ninf, 0f, ninf}, {0f, ninf, ninf}, {ninf, ninf, 0f}};
        assertArrayEquals(new int[] {1, 2}, CtcDecoder.greedy(logProbs));
        List<CtcDecoder.Hypothesis> beam = CtcDecoder.beamSearchWithScores(logProbs, 4);
        assertEquals(1, beam.size());
        assertArrayEquals(new int[] {1, 2}, beam.get(0).labels());
        assertEquals(0.0, beam.get(0).logProbability(), 0.0);
    }

    @Test
    void largerBeamNeverScoresItsBestBelowGreedysLabelling() {
        Random random = new Random(3);
        for (int trial = 0; trial < 100; trial++) {
            float[][] logProbs = randomLogProbs(random, 5 + random.nextInt(30), 3 + random.nextInt(10), 0);
            int[] greedy = CtcDecoder.greedy(logProbs);
            int[] beam = CtcDecoder.beamSearch(logProbs, 16);
            assertTrue(CtcDecoder.logLikelihood(logProbs, beam) >= CtcDecoder.logLikelihood(logProbs, greedy) - 1e-9,
                    "trial " + trial);
        }
    }

    @Test
    void emptyInputDecodesToNothing() {
        assertArrayEquals(new int[0], CtcDecoder.greedy(new float[0][]));
        assertArrayEquals(new int[0], CtcDecoder.beamSearch(new float[0][], 3));
        assertArrayEquals(new int[0], CtcDecoder.greedy(new float[][] {{0f}, {0f}}));
    }

    @Test
    void badArgumentsAreRefusedWithClearMessages() {
        float[][] ok = logOf(new double[][] {{0.5, 0.5}});
        IllegalArgumentException width = assertThrows(IllegalArgumentException.class,
                () -> CtcDecoder.beamSearch(ok, 0));
        assertTrue(width.getMessage().contains("beamWidth"), width.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CtcDecoder.beamSearch(ok, -3));
        IllegalArgumentException ragged = assertThrows(IllegalArgumentException.class,
                () -> CtcDecoder.greedy(new float[][] {{0f, 0f}, {0f}}));
        assertTrue(ragged.getMessage().contains("frame 1"), ragged.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CtcDecoder.greedy(new float[][] {{0f, Float.NaN}}));
        assertThrows(IllegalArgumentException.class, () -> CtcDecoder.beamSearch(new float[][] {{}}, 2));
        assertThrows(IllegalArgumentException.class, () -> CtcDecoder.logLikelihood(ok, new int[] {0}));
        assertThrows(NullPointerException.class, () -> CtcDecoder.greedy(null));
    }

    /** Sum of path probabilities per collapsed labelling, by enumerating all classes^frames paths. */
    private static Map<List<Integer>, Double> bruteForce(float[][] logProbs) {
        int frames = logProbs.length;
        int classes = logProbs[0].length;
        Map<List<Integer>, Double> sums = new HashMap<>();
        int[] path = new int[frames];
        int count = (int) Math.pow(classes, frames);
        for (int index = 0; index < count; index++) {
            int rest = index;
            double logP = 0;
            for (int t = 0; t < frames; t++) {
                path[t] = rest % classes;
                rest /= classes;
                logP += logProbs[t][path[t]];
            }
            List<Integer> labels = new ArrayList<>();
            int previous = 0;
            for (int symbol : path) {
                if (symbol != 0 && symbol != previous) {
                    labels.add(symbol);
                }
                previous = symbol;
            }
            sums.merge(labels, Math.exp(logP), Double::sum);
        }
        return sums;
    }

    private static List<Integer> boxed(int[] labels) {
        return Arrays.stream(labels).boxed().toList();
    }
}
