package io.signstream.deploy;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Renders a kustomization with {@code kubectl kustomize}, the way {@code kubectl apply -k} would.
 * kubectl is required, never skipped: CI installs Debian's kubernetes-client (kubectl 1.20, whose
 * built-in kustomize v2.0.3 is the oldest the overlays are written for). KUBECTL (environment) or
 * -Dsignstream.kubectl chooses another binary.
 */
final class Kubectl {

    private Kubectl() {
    }

    static Path binary() {
        String configured = System.getenv("KUBECTL");
        if (configured == null || configured.isBlank()) {
            configured = System.getProperty("signstream.kubectl");
        }
        if (configured != null && !configured.isBlank()) {
            Path path = Path.of(configured);
            if (!Files.isExecutable(path)) {
                throw new IllegalStateException("KUBECTL=" + configured + " is not an executable file");
            }
            return path;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "kubectl");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("kubectl not found on PATH. The deploy tests render the Kustomize overlays "
                + "with `kubectl kustomize`: install it (Debian: apt-get install -y kubernetes-client) or set "
                + "KUBECTL=/path/to/kubectl.");
    }

    /** The YAML stream {@code kubectl kustomize dir} prints; fails with kubectl's own message. */
    static String kustomize(Path dir) {
        Path kubectl = binary();
        try {
            Path err = Files.createTempFile("kustomize", ".err");
            Path out = Files.createTempFile("kustomize", ".yaml");
            try {
                Process process = new ProcessBuilder(List.of(kubectl.toString(), "kustomize", dir.toString()))
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile())
                        .start();
                if (!process.waitFor(120, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(kubectl + " kustomize " + dir + " did not finish in 120 s");
                }
                if (process.exitValue() != 0) {
                    throw new IllegalStateException(kubectl + " kustomize " + dir + " failed (exit " + process.exitValue()
                            + "):\n" + Files.readString(err, StandardCharsets.UTF_8));
                }
                return Files.readString(out, StandardCharsets.UTF_8);
            } finally {
                Files.deleteIfExists(err);
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + kubectl, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while rendering " + dir, e);
        }
    }

    /** {@code kubectl version --client}, for the record of what rendered the manifests. */
    static String clientVersion() {
        try {
            Process process = new ProcessBuilder(binary().toString(), "version", "--client")
                    .redirectErrorStream(true).start();
            String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            process.waitFor(30, TimeUnit.SECONDS);
            return text;
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
