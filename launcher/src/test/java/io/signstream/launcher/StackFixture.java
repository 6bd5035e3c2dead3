package io.signstream.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Settings for a stack of its own per test: free ports, a temporary home, the repository this build runs in. */
final class StackFixture {

    private StackFixture() {
    }

    static LauncherSettings isolatedSettings() {
        return isolatedSettings(Map.of());
    }

    /** The same with more environment for the launcher (e.g. {@code SIGNSTREAM_TRAINER_*} passed to the services). */
    static LauncherSettings isolatedSettings(Map<String, String> environment) {
        try {
            Path home = Files.createTempDirectory("signstream-launcher-test-");
            // Surefire runs in the module directory; the services are built in its sibling modules.
            Path repository = Path.of("").toAbsolutePath().getParent();
            Map<String, String> env = new java.util.HashMap<>(environment);
            env.putAll(Map.of(
                    "SIGNSTREAM_REPO", repository.toString(),
                    "SIGNSTREAM_HOME", home.toString(),
                    "SIGNSTREAM_PORTS", "auto"));
            return LauncherSettings.fromEnvironment(env);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True when no process the stack recorded is still alive. */
    static boolean allStopped(StackState state) {
        return state.processes().values().stream()
                .noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    }

    /**
     * Reads {@code read} every {@code every} until {@code done} holds or {@code within} passed. A read that fails with
     * IllegalStateException (a 404 before a replica has seen the object) counts as no answer yet.
     */
    static com.fasterxml.jackson.databind.JsonNode await(
            java.util.function.Supplier<com.fasterxml.jackson.databind.JsonNode> read,
            java.util.function.Predicate<com.fasterxml.jackson.databind.JsonNode> done, java.time.Duration within,
            java.time.Duration every, String what) {
        long deadline = System.nanoTime() + within.toNanos();
        com.fasterxml.jackson.databind.JsonNode last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = read.get();
                if (done.test(last)) {
                    return last;
                }
            } catch (IllegalStateException e) {
                last = null;
            }
            Stack.sleep(every.toMillis());
        }
        throw new AssertionError(what + ": not within " + within + "; last answer " + last);
    }
}
