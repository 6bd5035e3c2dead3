package io.signstream.teacher.training;

import ai.djl.pytorch.jni.JniUtils;

/**
 * Sets libtorch's autograd grad mode for a scope and restores the caller's mode when it closes.
 *
 * <p>Grad mode is thread-local in libtorch and on by default on every new thread. DJL switches it off only on the
 * thread that loads the engine, and its {@code GradientCollector} switches it on and, on close, back off only if it
 * was off before. So on any other thread the mode after a backward pass is "on", and an in-place update of a
 * parameter (a leaf that requires grad) fails with "a leaf Variable that requires grad is being used in an
 * in-place operation". Every public entry of {@code TeacherSession} runs inside {@link #disabled()}, so the session
 * works from any thread and leaves the thread's mode as it found it.
 */
public final class GradMode implements AutoCloseable {

    private final boolean previous;

    private GradMode(boolean enabled) {
        previous = JniUtils.isGradMode();
        if (previous != enabled) {
            JniUtils.setGradMode(enabled);
        }
    }

    /** Grad mode off until {@link #close()}: inference, optimizer updates and in-place parameter loads. */
    public static GradMode disabled() {
        return new GradMode(false);
    }

    /** Whether grad mode is on for the calling thread. */
    public static boolean isEnabled() {
        return JniUtils.isGradMode();
    }

    @Override
    public void close() {
        if (JniUtils.isGradMode() != previous) {
            JniUtils.setGradMode(previous);
        }
    }
}
