package io.signstream.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code ./signstream demo} as a real process (the script itself, which execs the launcher's JVM), sent SIGTERM in
 * the middle of training: every process it started (Kafka, the object store, the four services) is stopped before
 * it exits, services first, none killed, and it says so; the stack state is gone. With {@code --keep-up} the same
 * signal leaves the stack running.
 */
@Tag("slow")
class DemoSignalTest {

    /** The launcher's own stop: six processes, each given up to 30 s before a kill, in practice a few seconds each. */
    private static final Duration EXIT_BOUND = Duration.ofMinutes(4);
    private static final Duration WORK_BOUND = Duration.ofMinutes(8);
    private static final List<String> SERVICES = List.of("evaluator-service", "trainer-service",
            "normalization-service", "feature-ingest-service");

    @Test
    void sigtermMidTrainingStopsEveryProcessTheDemoStarted() throws Exception {
        LauncherSettings settings = StackFixture.isolatedSettings();
        Path output = settings.home().resolve("launcher-output.txt");
        // Many epochs of the tiny set: training is still running whenever the signal arrives.
        Process launcher = startDemo(settings, output, "--tiny", "--epochs", "200");
        Map<String, Long> processes = Map.of();
        try {
            await(launcher, output, text -> text.contains("epoch 1/200 done"), "the first epoch of training");
            processes = StackState.read(settings.home()).orElseThrow().processes();
            assertEquals(6, processes.size(), "Kafka, object store and four services recorded: " + processes);
            processes.forEach((name, pid) -> assertTrue(alive(pid), name + " running before the signal"));
            assertFalse(read(output).contains("COMPLETED"), "signalled while training runs");

            sigterm(launcher);
            assertTrue(launcher.waitFor(EXIT_BOUND.toSeconds(), TimeUnit.SECONDS),
                    "the launcher exits within " + EXIT_BOUND + " of SIGTERM:\n" + read(output));
            String text = read(output);
            System.out.println(text);
            assertNotEquals(0, launcher.exitValue(), "ended by the signal, not by finishing");
            processes.forEach((name, pid) -> assertFalse(alive(pid), name + " (pid " + pid + ") still running"));
            assertTrue(text.contains("stopped 6 processes it started"), "says what it stopped:\n" + text);
            assertTrue(text.contains(", all cleanly; stack state removed"), "stopped by SIGTERM, none killed:\n" + text);
            assertTrue(StackState.read(settings.home()).isEmpty(), "no stale stack state");
            assertFalse(new Stack(settings, new Progress(System.out)).isUp());
            // down's order: every service before the object store, the object store before Kafka.
            int store = text.indexOf("stopping object-store (pid");
            int kafka = text.indexOf("stopping kafka (pid");
            for (String service : SERVICES) {
                int at = text.indexOf("stopping " + service + " (pid");
                assertTrue(at >= 0 && at < store, service + " stopped before the object store:\n" + text);
            }
            assertTrue(store < kafka, "object store stopped before Kafka");
        } finally {
            cleanUp(launcher, settings, processes);
        }
    }

    @Test
    void withKeepUpSigtermLeavesTheStackRunning() throws Exception {
        LauncherSettings settings = StackFixture.isolatedSettings();
        Path output = settings.home().resolve("launcher-output.txt");
        Process launcher = startDemo(settings, output, "--tiny", "--epochs", "200", "--keep-up");
        Map<String, Long> processes = Map.of();
        try {
            await(launcher, output, text -> text.contains("training run "), "the start of training");
            processes = StackState.read(settings.home()).orElseThrow().processes();
            assertEquals(6, processes.size(), processes.toString());

            sigterm(launcher);
            assertTrue(launcher.waitFor(EXIT_BOUND.toSeconds(), TimeUnit.SECONDS), read(output));
            String text = read(output);
            assertFalse(text.contains("stopping "), "nothing stopped with --keep-up:\n" + text);
            processes.forEach((name, pid) -> assertTrue(alive(pid), name + " left running"));
            Stack stack = new Stack(settings, new Progress(System.out));
            assertTrue(stack.isUp(), "the stack state still describes the running stack");
            assertEquals(List.of(), stack.down(), "down stops it cleanly");
            processes.forEach((name, pid) -> assertFalse(alive(pid), name + " stopped by down"));
        } finally {
            cleanUp(launcher, settings, processes);
        }
    }

    private static Process startDemo(LauncherSettings settings, Path output, String... options) throws IOException {
        Path repository = settings.repository();
        // The script builds what is missing with Maven: never from a test. The reactor built all of it already.
        assertTrue(Files.exists(repository.resolve("launcher/target/launcher.classpath")), "launcher built");
        for (ServiceSpec service : ServiceSpec.values()) {
            assertTrue(Files.exists(service.runnerJar(repository)), service.runnerJar(repository) + " built");
        }
        List<String> command = new java.util.ArrayList<>(List.of(repository.resolve("signstream").toString(), "demo"));
        command.addAll(List.of(options));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().put("SIGNSTREAM_HOME", settings.home().toString());
        builder.environment().put("SIGNSTREAM_PORTS", "auto");
        return builder.start();
    }

    /** SIGTERM to the script's pid: the script execs the JVM, so it is the launcher's. */
    private static void sigterm(Process launcher) throws Exception {
        Process kill = new ProcessBuilder("kill", "-TERM", String.valueOf(launcher.pid())).inheritIO().start();
        assertEquals(0, kill.waitFor(), "kill -TERM " + launcher.pid());
    }

    private static void await(Process launcher, Path output, Predicate<String> reached, String what) {
        long deadline = System.nanoTime() + WORK_BOUND.toNanos();
        while (!reached.test(read(output))) {
            assertTrue(launcher.isAlive(), "the demo ended before " + what + ":\n" + read(output));
            assertTrue(System.nanoTime() < deadline, "no " + what + " within " + WORK_BOUND + ":\n" + read(output));
            Stack.sleep(500);
        }
    }

    private static String read(Path output) {
        try {
            return Files.exists(output) ? Files.readString(output, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Whatever happened above, nothing of the test's stack is left running. */
    private static void cleanUp(Process launcher, LauncherSettings settings, Map<String, Long> processes) {
        if (launcher.isAlive()) {
            launcher.destroyForcibly();
        }
        new Stack(settings, new Progress(System.out)).down();
        processes.values().forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }
}
