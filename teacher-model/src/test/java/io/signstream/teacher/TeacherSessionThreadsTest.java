package io.signstream.teacher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.signstream.teacher.training.GradMode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * libtorch's grad mode is per thread and on by default on a new thread; DJL turns it off only on the thread that
 * loaded the engine. A session must train and infer from any thread (trainer pods drive it from worker threads)
 * and leave each thread's grad mode as it found it.
 */
class TeacherSessionThreadsTest {

    private static final int VOCABULARY = 9;
    private static final long SEED = 31;

    private static TeacherBatch first() {
        return TestBatches.batch(new int[] {64, 50}, new int[][] {{1, 2, 3}, {4, 4}}, 3);
    }

    private static TeacherBatch second() {
        return TestBatches.batch(new int[] {40, 70}, new int[][] {{5, 6}, {7, 1, 2}}, 8);
    }

    @Test
    void trainsAndInfersFromFreshThreadsExactlyAsOnTheCallingThread() throws Exception {
        float[] expectedParameters;
        List<float[][]> expectedLogProbs;
        try (TeacherSession reference = TeacherSession.create(TeacherConfig.small(), VOCABULARY, SEED)) {
            assertFalse(reference.trainStep(first(), 2e-3f).skipped());
            assertFalse(reference.trainStep(second(), 2e-3f).skipped());
            assertFalse(reference.trainStep(first(), 2e-3f).skipped());
            expectedParameters = TeacherSessionTest.flatParameters(reference);
            expectedLogProbs = reference.logProbs(second().withoutTargets());
        }

        // Created on one fresh thread, trained on an executor's threads and another fresh thread, read on a third.
        TeacherSession session = onFreshThread(() -> TeacherSession.create(TeacherConfig.small(), VOCABULARY, SEED));
        ExecutorService executor = Executors.newFixedThreadPool(2);
        try {
            List<StepResult> steps = new ArrayList<>();
            steps.add(onExecutor(executor, () -> session.trainStep(first(), 2e-3f)));
            steps.add(onExecutor(executor, () -> session.trainStep(second(), 2e-3f)));
            steps.add(onFreshThread(() -> session.trainStep(first(), 2e-3f)));
            for (StepResult step : steps) {
                assertFalse(step.skipped(), step.skipReason());
                assertTrue(Double.isFinite(step.gradNorm()) && step.gradNorm() > 0, step.toString());
            }
            assertEquals(3, session.stepsApplied());
            assertArrayEquals(expectedParameters, onFreshThread(() -> TeacherSessionTest.flatParameters(session)), 1e-6f);
            List<float[][]> logProbs = onFreshThread(() -> session.logProbs(second().withoutTargets()));
            for (int b = 0; b < expectedLogProbs.size(); b++) {
                for (int t = 0; t < expectedLogProbs.get(b).length; t++) {
                    assertArrayEquals(expectedLogProbs.get(b)[t], logProbs.get(b)[t], 1e-6f);
                }
            }
        } finally {
            executor.shutdownNow();
            session.close();
        }
    }

    @Test
    void everyCallLeavesTheThreadsGradModeAsItFoundIt() throws Exception {
        try (TeacherSession session = TeacherSession.create(TeacherConfig.small(), VOCABULARY, SEED)) {
            for (boolean mode : new boolean[] {true, false}) {
                List<Boolean> after = onFreshThread(() -> {
                    setGradMode(mode);
                    List<Boolean> seen = new ArrayList<>();
                    session.trainStep(first(), 1e-3f);
                    seen.add(GradMode.isEnabled());
                    session.probeGradients(first());
                    seen.add(GradMode.isEnabled());
                    session.loss(first());
                    seen.add(GradMode.isEnabled());
                    session.logProbs(first().withoutTargets());
                    seen.add(GradMode.isEnabled());
                    session.loadParameters(new java.io.ByteArrayInputStream(TeacherSessionTest.parameters(session)));
                    seen.add(GradMode.isEnabled());
                    return seen;
                });
                assertEquals(List.of(mode, mode, mode, mode, mode), after, "grad mode " + mode + " before the calls");
            }
        }
    }

    private static void setGradMode(boolean enabled) {
        ai.djl.pytorch.jni.JniUtils.setGradMode(enabled);
    }

    private static <T> T onExecutor(ExecutorService executor, Callable<T> work) throws Exception {
        try {
            return executor.submit(work).get();
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        }
    }

    private static <T> T onFreshThread(Callable<T> work) throws Exception {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            try {
                result.set(work.call());
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        thread.start();
        thread.join();
        if (failure.get() != null) {
            throw rethrow(failure.get());
        }
        return result.get();
    }

    private static Exception rethrow(Throwable cause) {
        if (cause instanceof Error error) {
            throw error;
        }
        return cause instanceof Exception exception ? exception : new RuntimeException(cause);
    }
}
