package io.signstream.deploy;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Node.js and npm, for the KEDA validation ({@link KedaModel}): KEDA's API model is an npm package. Required, never
 * skipped, like kubectl ({@link Kubectl}): {@code ./signstream test} installs Debian's nodejs and npm where they are
 * missing. NODE and NPM (environment) or -Dsignstream.node and -Dsignstream.npm choose other binaries.
 */
final class Node {

    /** The oldest Node.js the validator is known to run on (Debian 12's nodejs 18.20). */
    static final int MIN_MAJOR = 18;

    private static final String INSTALL = "install Node.js " + MIN_MAJOR + "+ and npm (Debian: apt-get install -y nodejs npm; "
            + "./signstream test installs them where missing) or set NODE=/path/to/node and NPM=/path/to/npm";

    private Node() {
    }

    static Path node() {
        return binary("node", "NODE", "signstream.node");
    }

    static Path npm() {
        return binary("npm", "NPM", "signstream.npm");
    }

    private static Path binary(String name, String variable, String property) {
        String configured = System.getenv(variable);
        if (configured == null || configured.isBlank()) {
            configured = System.getProperty(property);
        }
        if (configured != null && !configured.isBlank()) {
            Path path = Path.of(configured);
            if (!Files.isExecutable(path)) {
                throw new IllegalStateException(variable + "=" + configured + " is not an executable file");
            }
            return path;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(name + " not found on PATH. The deploy tests validate the KEDA objects "
                + "(optional/keda) with npm's @kubernetes-models/keda: " + INSTALL + ".");
    }

    /** {@code node --version}, checked against {@link #MIN_MAJOR}. */
    static String version() {
        Result result = run(List.of(node().toString(), "--version"), null, 30);
        String version = result.stdout().trim();
        if (result.exit() != 0 || !version.matches("v\\d+\\..*")) {
            throw new IllegalStateException(node() + " --version failed (exit " + result.exit() + "): " + result.stderr());
        }
        int major = Integer.parseInt(version.substring(1, version.indexOf('.')));
        if (major < MIN_MAJOR) {
            throw new IllegalStateException(node() + " is Node.js " + version + "; the KEDA validation needs "
                    + MIN_MAJOR + "+: " + INSTALL + ".");
        }
        return version;
    }

    record Result(int exit, String stdout, String stderr) {
    }

    /** Runs a command in dir (null: the working directory) with node's directory first on PATH (npm's shebang). */
    static Result run(List<String> command, Path dir, int timeoutSeconds) {
        try {
            Path out = Files.createTempFile("node", ".out");
            Path err = Files.createTempFile("node", ".err");
            try {
                ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command))
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile());
                if (dir != null) {
                    builder.directory(dir.toFile());
                }
                Map<String, String> env = builder.environment();
                Path nodeDir = node().toAbsolutePath().getParent();
                env.put("PATH", nodeDir + File.pathSeparator + env.getOrDefault("PATH", ""));
                Process process = builder.start();
                if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
                }
                return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        }
    }
}
