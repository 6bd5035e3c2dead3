package io.signstream.teacher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.signstream.teacher.training.WeightAverage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Weight averaging (TeacherConfig#weightAverageDecay): the average follows its recurrence, checked against the same
 * recurrence computed on the host from snapshots of the trained weights; it is what a checkpoint's parameters hold;
 * a resumed session continues trained weights and average exactly; off, nothing changes.
 */
class WeightAveragingTest {

    private static final int VOCABULARY = 7;
    private static final int[][] TARGETS = {{1, 2, 3}, {4, 4}};
    private static final float DECAY = 0.9f;

    /** Dropout off: the same seed and batches then give the same steps. */
    private static TeacherConfig config(float decay) {
        return TeacherConfig.small().toBuilder().dropout(0f).weightAverageDecay(decay).build();
    }

    private static TeacherBatch batch(int step) {
        return TestBatches.batch(new int[] {48, 40}, TARGETS, 100 + step);
    }

    private static List<float[]> trainedWeights(TeacherSession session) {
        List<float[]> weights = new ArrayList<>();
        for (Pair<String, Parameter> pair : session.block().getParameters()) {
            weights.add(pair.getValue().getArray().toFloatArray());
        }
        return weights;
    }

    /** The weights a parameter file holds, read through a session without averaging (as a plain model). */
    private static List<float[]> weightsIn(byte[] parameters) {
        try (TeacherSession reader = TeacherSession.create(config(0f), VOCABULARY, 99)) {
            reader.loadParameters(new ByteArrayInputStream(parameters));
            return trainedWeights(reader);
        }
    }

    private static byte[] parameters(TeacherSession session) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        session.saveParameters(out);
        return out.toByteArray();
    }

    private static byte[] optimizerState(TeacherSession session) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        session.saveOptimizerState(out);
        return out.toByteArray();
    }

    private static double maxDifference(List<float[]> a, List<float[]> b) {
        assertEquals(a.size(), b.size());
        double max = 0;
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).length, b.get(i).length);
            for (int k = 0; k < a.get(i).length; k++) {
                max = Math.max(max, Math.abs(a.get(i)[k] - b.get(i)[k]));
            }
        }
        return max;
    }

    @Test
    void decayRampsUpFromOneTenthAndStopsAtTheConfiguredValue() {
        assertEquals(0.1f, WeightAverage.decayAt(0.998f, 0), 1e-7);
        assertEquals(11f / 20f, WeightAverage.decayAt(0.998f, 10), 1e-7);
        // (1 + n) / (10 + n) passes 0.998 at n = 4490.
        assertEquals(4490f / 4499f, WeightAverage.decayAt(0.998f, 4489), 1e-7);
        assertEquals(0.998f, WeightAverage.decayAt(0.998f, 4490), 1e-7);
        assertEquals(0.998f, WeightAverage.decayAt(0.998f, 1_000_000), 1e-7);
    }

    @Test
    void theSavedParametersAreTheAverageOfTheTrainedWeights() {
        int steps = 6;
        try (TeacherSession session = TeacherSession.create(config(DECAY), VOCABULARY, 3)) {
            // The host's reference: the same recurrence over snapshots of the trained weights, in float.
            List<float[]> expected = trainedWeights(session);
            for (int step = 0; step < steps; step++) {
                assertFalse(session.trainStep(batch(step), 2e-3f).skipped());
                float d = (float) Math.min(DECAY, (1.0 + step) / (10.0 + step));
                List<float[]> weights = trainedWeights(session);
                for (int i = 0; i < expected.size(); i++) {
                    float[] average = expected.get(i);
                    float[] weight = weights.get(i);
                    for (int k = 0; k < average.length; k++) {
                        average[k] = d * average[k] + (1 - d) * weight[k];
                    }
                }
            }
            List<float[]> saved = weightsIn(parameters(session));
            assertTrue(maxDifference(expected, saved) < 1e-6, "saved parameters differ from the host's average by "
                    + maxDifference(expected, saved));
            // ... and they are not simply the trained weights: the average lags behind them.
            assertTrue(maxDifference(trainedWeights(session), saved) > 1e-4);
        }
    }

    @Test
    void aResumedSessionContinuesTrainedWeightsAndAverageExactly() {
        byte[] parameters;
        byte[] optimizer;
        byte[] continuedParameters;
        List<float[]> continuedWeights;
        try (TeacherSession first = TeacherSession.create(config(DECAY), VOCABULARY, 4)) {
            for (int step = 0; step < 3; step++) {
                first.trainStep(batch(step), 2e-3f);
            }
            parameters = parameters(first);
            optimizer = optimizerState(first);
            for (int step = 3; step < 5; step++) {
                first.trainStep(batch(step), 2e-3f);
            }
            continuedParameters = parameters(first);
            continuedWeights = trainedWeights(first);
        }
        // Another seed: everything that matters must come from the two files.
        try (TeacherSession resumed = TeacherSession.create(config(DECAY), VOCABULARY, 77)) {
            resumed.loadParameters(new ByteArrayInputStream(parameters));
            resumed.loadOptimizerState(new ByteArrayInputStream(optimizer));
            assertEquals(3, resumed.optimizerSteps());
            for (int step = 3; step < 5; step++) {
                resumed.trainStep(batch(step), 2e-3f);
            }
            assertTrue(maxDifference(continuedWeights, trainedWeights(resumed)) < 1e-6);
            assertTrue(maxDifference(weightsIn(continuedParameters), weightsIn(parameters(resumed))) < 1e-6);
        }
    }

    @Test
    void offTheParametersAreTheTrainedWeightsAndTheOptimizerStateHasNoWeights() {
        byte[] offOptimizer;
        try (TeacherSession off = TeacherSession.create(config(0f), VOCABULARY, 5);
                TeacherSession on = TeacherSession.create(config(DECAY), VOCABULARY, 5)) {
            off.trainStep(batch(0), 2e-3f);
            on.trainStep(batch(0), 2e-3f);
            assertEquals(0.0, maxDifference(trainedWeights(off), weightsIn(parameters(off))));
            offOptimizer = optimizerState(off);
            // The averaging session's state carries the trained weights on top of the same moments.
            long weightBytes = trainedWeights(on).stream().mapToLong(w -> 4L * w.length).sum();
            assertTrue(optimizerState(on).length > offOptimizer.length + weightBytes);
        }
        // A model that averages cannot resume from a state without trained weights: said, not guessed.
        try (TeacherSession on = TeacherSession.create(config(DECAY), VOCABULARY, 6)) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> on.loadOptimizerState(new ByteArrayInputStream(offOptimizer)));
            assertTrue(refused.getMessage().contains("carries no trained weights"), refused.getMessage());
        }
    }

    @Test
    void aConfigWrittenBeforeTheOptionReadsAsOff() {
        String json = new String(TeacherConfig.small().toJson(), StandardCharsets.UTF_8)
                .replaceAll(",\\s*\"weightAverageDecay\"\\s*:\\s*[0-9.eE-]+", "");
        assertFalse(json.contains("weightAverageDecay"), json);
        assertEquals(0f, TeacherConfig.fromJson(json.getBytes(StandardCharsets.UTF_8)).weightAverageDecay());
        assertThrows(IllegalArgumentException.class, () -> config(1f));
        assertThrows(IllegalArgumentException.class, () -> config(-0.1f));
    }
}
