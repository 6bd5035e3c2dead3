package io.signstream.launcher;

/**
 * A JVM shutdown hook that stops every process a {@link Stack} started when the launcher itself is stopped: the JVM
 * runs it on SIGTERM, SIGINT (Ctrl-C) and SIGHUP (the terminal closed). {@code ./signstream} execs the JVM, so a
 * signal to the script's pid reaches it. The stop is {@link Stack#stopStarted()}: the order and timeouts of
 * {@code down}, services first, then the object store and Kafka, each asked first and killed only after a timeout.
 *
 * Installed by the demo for a stack it starts itself and leaves down afterwards (not with {@code --keep-up}); removed
 * when the demo ends, so a normal exit never runs it.
 */
final class StopOnSignal {

    private final Thread hook;
    private volatile boolean fired;

    private StopOnSignal(Stack stack, Progress progress) {
        this.hook = new Thread(() -> {
            fired = true;
            progress.stage("stop signal (SIGTERM, SIGINT or SIGHUP): stopping every process this demo started, "
                    + "services first, then the object store and Kafka");
            Stack.Stopped stopped = stack.stopStarted();
            progress.stage(message(stopped) + (stack.state().isEmpty() ? "; stack state removed"
                    : "; stack state kept (" + stack.state().get().processes() + ")"));
        }, "signstream-stop-on-signal");
    }

    static StopOnSignal install(Stack stack, Progress progress) {
        StopOnSignal stop = new StopOnSignal(stack, progress);
        Runtime.getRuntime().addShutdownHook(stop.hook);
        return stop;
    }

    static String message(Stack.Stopped stopped) {
        if (stopped.stopped().isEmpty()) {
            return "no process it started was still running";
        }
        return "stopped " + stopped.stopped().size() + " processes it started " + stopped.stopped()
                + (stopped.killed().isEmpty() ? ", all cleanly" : ", had to kill " + stopped.killed());
    }

    /** True once the JVM is shutting down and the hook has begun to stop the stack. */
    boolean fired() {
        return fired;
    }

    /** The demo ended by itself: a later exit must not run the hook. No effect once shutdown has begun. */
    void remove() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs (or ran) and stops the stack
        }
    }
}
