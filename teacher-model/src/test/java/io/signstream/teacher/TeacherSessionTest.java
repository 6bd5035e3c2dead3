package io.signstream.teacher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.signstream.contract.FeatureLayout;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class TeacherSessionTest {

    private static final int VOCABULARY = 9;
    private static final int[][] TARGETS = {{1, 2, 3}, {4, 4}};

    private static TeacherBatch trainingBatch() {
        return TestBatches.batch(new int[] {64, 50}, TARGETS, 3);
    }

    @Test
    void repeatedStepsOnOneBatchLowerTheLoss() {
        try (TeacherSession session = TeacherSession.create(TeacherConfig.small(), VOCABULARY, 1)) {
            TeacherBatch batch = trainingBatch();
            double before = session.loss(batch);
            StepResult first = null;
            for (int i = 0; i < 15; i++) {
                StepResult step = session.trainStep(batch, 3e-3f);
                assertFalse(step.skipped(), step.skipReason());
                assertTrue(Double.isFinite(step.loss()) && step.gradNorm() > 0, step.toString());
                first = first == null ? step : first;
            }
            assertEquals(before, first.loss(), 1e-4 * before, "the step reports the loss before its update");
            double after = session.loss(batch);
            assertTrue(after < 0.7 * before, "loss " + before + " -> " + after);
            assertEquals(15, session.stepsApplied());
            assertEquals(15, session.optimizerSteps());
        }
    }

    @Test
    void nonFiniteInputSkipsTheStepAndLeavesParametersAlone() {
        try (TeacherSession session = TeacherSession.create(TeacherConfig.small(), VOCABULARY, 2)) {
            TeacherBatch batch = trainingBatch();
            batch.features()[123] = Float.NaN;
            byte[] before = parameters(session);
            StepResult step = session.trainStep(batch, 1e-2f);
            assertTrue(step.skipped());
            assertEquals("non-finite model output", step.skipReason());
            assertArrayEquals(before, parameters(session));
            assertEquals(1, session.stepsSkipped());
            assertEquals(0, session.optimizerSteps(), "a skipped step does not advance AdamW's step count");
            // The next good batch trains normally: no stale gradient survives the skipped one.
            StepResult good = session.trainStep(trainingBatch(), 1e-3f);
            assertFalse(good.skipped(), good.skipReason());
            assertTrue(Double.isFinite(good.gradNorm()));
        }
    }

    @Test
    void unalignableBatchIsSkippedAndCounted() {
        try (TeacherSession session = TeacherSession.create(TeacherConfig.small().withTemporalStride(16), VOCABULARY, 3)) {
            // 16 frames give one output frame at stride 16: two labels cannot be aligned.
            TeacherBatch batch = TestBatches.batch(new int[] {16, 16}, new int[][] {{1, 2}, {3, 3}}, 4);
            StepResult step = session.trainStep(batch, 1e-3f);
            assertTrue(step.skipped());
            assertEquals(0.0, step.loss());
            assertEquals(2, session.impossibleAlignments());
            // One alignable sample is enough to train; the other contributes zero loss and gradient.
            TeacherBatch mixed = TestBatches.batch(new int[] {16, 64}, new int[][] {{1, 2}, {3}}, 5);
            assertFalse(session.trainStep(mixed, 1e-3f).skipped());
            assertEquals(3, session.impossibleAlignments());
        }
    }

    @Test
    void globalNormClipBoundsTheUpdate() {
        // AdamW's first update is lr * g / (|g| + eps): about lr per element whatever the gradient's scale,
        // unless the clip shrinks g to the order of eps. So a tiny clip visibly freezes the parameters.
        float lr = 1e-2f;
        float[] free = firstUpdate(1.0f, lr);
        float[] clipped = firstUpdate(1e-12f, lr);
        assertTrue(maxAbs(free) > 0.5 * lr, "unclipped update " + maxAbs(free));
        assertTrue(maxAbs(clipped) < 0.01 * lr, "clipped update " + maxAbs(clipped));
    }

    private static float[] firstUpdate(float clip, float lr) {
        try (TeacherSession session = TeacherSession.create(TeacherConfig.small(), VOCABULARY, 11)) {
            session.setClipNorm(clip);
            float[] before = flatParameters(session);
            StepResult step = session.trainStep(trainingBatch(), lr);
            assertTrue(step.gradNorm() > clip, "the reported norm is the one before clipping");
            float[] after = flatParameters(session);
            float[] delta = new float[before.length];
            for (int i = 0; i < delta.length; i++) {
                delta[i] = after[i] - before[i];
            }
            return delta;
        }
    }

    @Test
    void parametersRoundTripIntoAFreshSession() {
        TeacherBatch batch = trainingBatch();
        byte[] saved;
        List<float[][]> expected;
        // Without weight averaging a parameter file holds the trained weights themselves (with it, their average:
        // WeightAveragingTest).
        TeacherConfig plain = TeacherConfig.small().toBuilder().weightAverageDecay(0f).build();
        try (TeacherSession trained = TeacherSession.create(plain, VOCABULARY, 5)) {
            trained.trainStep(batch, 1e-3f);
            saved = parameters(trained);
            expected = trained.logProbs(batch.withoutTargets());
        }
        try (TeacherSession fresh = TeacherSession.create(plain, VOCABULARY, 99)) {
            fresh.loadParameters(new ByteArrayInputStream(saved));
            List<float[][]> actual = fresh.logProbs(batch.withoutTargets());
            for (int b = 0; b < expected.size(); b++) {
                for (int t = 0; t < expected.get(b).length; t++) {
                    assertArrayEquals(expected.get(b)[t], actual.get(b)[t], 1e-6f);
                }
            }
            // Loaded parameters still train (they kept their gradients).
            assertFalse(fresh.trainStep(batch, 1e-3f).skipped());
        }
        try (TeacherSession other = TeacherSession.create(TeacherConfig.small(), VOCABULARY + 1, 5)) {
            assertThrows(IllegalArgumentException.class, () -> other.loadParameters(new ByteArrayInputStream(saved)));
        }
    }

    @Test
    void resumeFromSavedParametersAndOptimizerStateIsExact() {
        TeacherBatch first = trainingBatch();
        TeacherBatch second = TestBatches.batch(new int[] {40, 70}, new int[][] {{5, 6}, {7, 1, 2}}, 8);
        float[] uninterrupted;
        try (TeacherSession session = TeacherSession.create(TeacherConfig.small(), VOCABULARY, 21)) {
            session.trainStep(first, 2e-3f);
            session.trainStep(first, 2e-3f);
            session.trainStep(second, 2e-3f);
            uninterrupted = flatParameters(session);
        }
        byte[] parameters;
        byte[] optimizer;
        try (TeacherSession session = TeacherSession.create(TeacherConfig.small(), VOCABULARY, 21)) {
            session.trainStep(first, 2e-3f);
            session.trainStep(first, 2e-3f);
            parameters = parameters(session);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            session.saveOptimizerState(out);
            optimizer = out.toByteArray();
        }
        try (TeacherSession resumed = TeacherSession.create(TeacherConfig.small(), VOCABULARY, 77)) {
            resumed.loadParameters(new ByteArrayInputStream(parameters));
            resumed.loadOptimizerState(new ByteArrayInputStream(optimizer));
            assertEquals(2, resumed.optimizerSteps());
            resumed.trainStep(second, 2e-3f);
            assertArrayEquals(uninterrupted, flatParameters(resumed), 1e-6f);
        }
    }

    @Test
    void logProbsHaveOneRowPerOutputFrame() {
        try (TeacherSession session = TeacherSession.create(TeacherConfig.small(), VOCABULARY, 6)) {
            TeacherBatch batch = TestBatches.batch(new int[] {17, 100, 3}, null, 9);
            List<float[][]> out = session.logProbs(batch);
            int stride = session.config().temporalStride();
            assertEquals(3, out.size());
            assertEquals((17 + stride - 1) / stride, out.get(0).length);
            assertEquals((100 + stride - 1) / stride, out.get(1).length);
            assertEquals((3 + stride - 1) / stride, out.get(2).length);
            assertEquals(VOCABULARY + 1, out.get(1)[0].length);
            assertEquals("cpu", session.device());
        }
    }

    @Test
    void extremeButFiniteInputsGiveFiniteOutputsAndSteps() {
        try (TeacherSession session = TeacherSession.create(TeacherConfig.small(), VOCABULARY, 13)) {
            int frames = 48;
            float[] huge = new float[frames * FeatureLayout.DIMS];
            float[] tiny = new float[frames * FeatureLayout.DIMS];
            float[] constant = new float[frames * FeatureLayout.DIMS];
            java.util.Random random = new java.util.Random(3);
            for (int i = 0; i < huge.length; i++) {
                huge[i] = random.nextBoolean() ? 1e6f : -1e6f;
                tiny[i] = (float) (random.nextGaussian() * 1e-30);
                constant[i] = 42f;
            }
            TeacherBatch batch = TeacherBatch.pad(List.of(huge, constant, new float[frames * FeatureLayout.DIMS]),
                    List.of(new int[] {1, 2}, new int[] {2, 2}, new int[] {5}));
            assertAllFinite(session.logProbs(batch.withoutTargets()));
            for (int i = 0; i < 3; i++) {
                StepResult step = session.trainStep(batch, 5e-4f);
                assertFalse(step.skipped(), step.skipReason());
                assertTrue(Double.isFinite(step.loss()) && Double.isFinite(step.gradNorm()), step.toString());
            }
            // Frames that are constant up to 1e-30 leave every GroupNorm with (almost) zero variance: the forward
            // stays finite, but the gradient may overflow (1/sqrt(eps) per layer, as in torch). The guard must
            // then skip the step, so the parameters stay finite either way.
            TeacherBatch degenerate = TeacherBatch.pad(List.of(tiny), List.of(new int[] {3}));
            assertAllFinite(session.logProbs(degenerate.withoutTargets()));
            StepResult step = session.trainStep(degenerate, 5e-4f);
            assertTrue(!step.skipped() || step.skipReason().equals("non-finite gradient"), step.toString());
            for (float v : flatParameters(session)) {
                assertTrue(Float.isFinite(v));
            }
            assertAllFinite(session.logProbs(batch.withoutTargets()));
        }
    }

    private static void assertAllFinite(List<float[][]> logProbs) {
        for (float[][] sample : logProbs) {
            for (float[] row : sample) {
                for (float v : row) {
                    assertTrue(Float.isFinite(v), "log-prob " + v);
                }
            }
        }
    }

    @Test
    void gradientsDoNotDependOnWhenTheGarbageCollectorRuns() throws InterruptedException {
        // Regression: a tensor that autograd saved was backed by a direct buffer of a closed DJL scalar, so a GC
        // between forward and backward corrupted the attention's gradients (1e10 instead of 5).
        TeacherBatch batch = TestBatches.batch(new int[] {96, 80, 112}, new int[][] {{1, 2, 3}, {4, 5}, {6, 2, 7, 1}}, 42);
        try (TeacherSession session = TeacherSession.create(TeacherConfig.small(), VOCABULARY, 42)) {
            double reference = session.probeGradients(batch).gradNorm();
            java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
            Thread collector = new Thread(() -> {
                while (running.get()) {
                    System.gc();
                    Thread.onSpinWait();
                }
            });
            collector.start();
            try {
                for (int i = 0; i < 8; i++) {
                    assertEquals(reference, session.probeGradients(batch).gradNorm(), 1e-9 * reference, "probe " + i);
                }
            } finally {
                running.set(false);
                collector.join();
            }
        }
    }

    @Test
    void refusesTrainingWithoutTargets() {
        try (TeacherSession session = TeacherSession.create(TeacherConfig.small(), VOCABULARY, 14)) {
            TeacherBatch batch = trainingBatch().withoutTargets();
            assertThrows(IllegalArgumentException.class, () -> session.trainStep(batch, 1e-3f));
        }
    }

    static byte[] parameters(TeacherSession session) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        session.saveParameters(out);
        return out.toByteArray();
    }

    static float[] flatParameters(TeacherSession session) {
        java.util.List<float[]> arrays = new java.util.ArrayList<>();
        int total = 0;
        for (var pair : session.block().getParameters()) {
            float[] values = pair.getValue().getArray().toFloatArray();
            arrays.add(values);
            total += values.length;
        }
        float[] flat = new float[total];
        int offset = 0;
        for (float[] values : arrays) {
            System.arraycopy(values, 0, flat, offset, values.length);
            offset += values.length;
        }
        assertNotNull(flat);
        return flat;
    }

    private static float maxAbs(float[] values) {
        float max = 0;
        for (float v : values) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }
}
