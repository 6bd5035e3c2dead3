package io.signstream.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

/** A server started as a separate JVM from its own classpath, its output in a log file. */
final class ChildProcess implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ChildProcess.class);

    private final String name;
    private final Process process;
    private final Path logFile;

    private ChildProcess(String name, Process process, Path logFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
    }

    /** Runs {@code java [jvmArgs] -cp classpath mainClass args} and returns at once. */
    static ChildProcess startJava(String name, String classpath, List<String> jvmArgs, String mainClass,
            List<String> args, Path logFile) {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(classpath);
        command.add(mainClass);
        command.addAll(args);
        try {
            Files.createDirectories(logFile.getParent());
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
            LOG.debugf("started %s (pid %d), log %s", name, process.pid(), logFile);
            return new ChildProcess(name, process, logFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    /** Runs a short-lived tool to completion; fails with its output when it exits non-zero. */
    static void runJava(String name, String classpath, String mainClass, List<String> args, Path logFile,
            long timeoutSeconds) {
        ChildProcess tool = startJava(name, classpath, List.of("-Xmx256m"), mainClass, args, logFile);
        try {
            if (!tool.process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                tool.close();
                throw new IllegalStateException(name + " did not finish in " + timeoutSeconds + " s; see " + logFile);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            tool.close();
            throw new IllegalStateException("interrupted while running " + name, e);
        }
        if (tool.process.exitValue() != 0) {
            throw new IllegalStateException(name + " exited with " + tool.process.exitValue() + ":\n" + tool.logTail());
        }
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Fails with the last lines of the log if the process has died. */
    void checkAlive() {
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + logTail());
        }
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log at " + logFile + ")";
        }
    }

    /** Asks the process to stop (SIGTERM), and kills it if it has not within 20 s. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                LOG.warnf("%s did not stop in 20 s, killing it", name);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    static String javaExecutable() {
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Reads a classpath file written by the build (see this module's pom). */
    static String classpathResource(String resource) {
        try (var in = ChildProcess.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("classpath file " + resource
                        + " is missing: build the local-stack module with Maven first");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
