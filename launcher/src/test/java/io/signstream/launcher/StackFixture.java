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
}
