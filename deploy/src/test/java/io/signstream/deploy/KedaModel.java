package io.signstream.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * KEDA's API (keda.sh, eventing.keda.sh) as npm's {@code @kubernetes-models/keda} models it: KEDA publishes no model
 * to Maven Central. deploy/validate-keda/ holds the pinned package.json, its package-lock.json and validate.mjs
 * (strict: types, required fields, enums and unknown fields; see the script). They are copied to
 * target/validate-keda/ and installed there once with {@code npm ci} (again only when the lock file changes), so the
 * tests need the npm registry once and nothing but node afterwards.
 */
final class KedaModel {

    static final String SOURCE = "validate-keda";
    private static final List<String> FILES = List.of("package.json", "package-lock.json", "validate.mjs");
    private static final Pattern LINE = Pattern.compile("#(\\d+) (.*)");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path installed;

    private KedaModel() {
    }

    /** Whether the object belongs to an API group the KEDA model, not {@link ApiModel}, checks. */
    static boolean isKeda(JsonNode object) {
        String apiVersion = object.path("apiVersion").asText();
        return apiVersion.startsWith("keda.sh/") || apiVersion.startsWith("eventing.keda.sh/");
    }

    /** target/validate-keda with the pinned packages installed (npm ci on first use or a changed lock file). */
    static synchronized Path install() {
        if (installed != null) {
            return installed;
        }
        Path source = Repository.deployDir().resolve(SOURCE);
        Path dir = Repository.deployDir().resolve("target").resolve(SOURCE);
        try {
            Files.createDirectories(dir);
            Path stamp = dir.resolve("node_modules").resolve(".installed-from-package-lock.json");
            byte[] lock = Files.readAllBytes(source.resolve("package-lock.json"));
            boolean current = Files.isRegularFile(stamp) && Arrays.equals(lock, Files.readAllBytes(stamp));
            for (String file : FILES) {
                Files.copy(source.resolve(file), dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
            }
            String nodeVersion = Node.version();
            if (!current) {
                List<String> command = List.of(Node.npm().toString(), "ci", "--no-audit", "--no-fund",
                        "--ignore-scripts", "--loglevel=error");
                Node.Result result = Node.run(command, dir, 600);
                if (result.exit() != 0) {
                    throw new IllegalStateException("npm ci in " + dir + " failed (exit " + result.exit() + "); it needs the "
                            + "npm registry (or the one npm's config names) once:\n" + result.stdout() + result.stderr());
                }
                Files.write(stamp, lock);
                System.out.println("KEDA model installed with npm ci in " + dir);
            }
            System.out.println("KEDA validation: node " + nodeVersion + ", " + dir.resolve("validate.mjs"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + dir, e);
        }
        installed = dir;
        return dir;
    }

    /** The problems of each object, in order (an empty list: KEDA's API accepts the object as written). */
    static List<List<String>> problems(List<JsonNode> objects) {
        Path dir = install();
        List<List<String>> problems = new ArrayList<>();
        objects.forEach(o -> problems.add(new ArrayList<>()));
        try {
            Path input = Files.createTempFile(dir, "objects", ".json");
            try {
                JSON.writeValue(input.toFile(), objects);
                Node.Result result = Node.run(List.of(Node.node().toString(), "validate.mjs", input.toString()), dir, 120);
                if (result.exit() != 0 && result.exit() != 1) {
                    throw new IllegalStateException("validate.mjs failed (exit " + result.exit() + "):\n"
                            + result.stdout() + result.stderr());
                }
                for (String line : result.stdout().lines().toList()) {
                    Matcher m = LINE.matcher(line);
                    if (!m.matches() || Integer.parseInt(m.group(1)) >= objects.size()) {
                        throw new IllegalStateException("unexpected output of validate.mjs: " + line);
                    }
                    problems.get(Integer.parseInt(m.group(1))).add(m.group(2));
                }
                boolean any = problems.stream().anyMatch(p -> !p.isEmpty());
                if (any != (result.exit() == 1)) {
                    throw new IllegalStateException("validate.mjs exit " + result.exit() + " disagrees with its output:\n"
                            + result.stdout() + result.stderr());
                }
                System.out.println(result.stderr().trim());
            } finally {
                Files.deleteIfExists(input);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot validate with " + dir, e);
        }
        return problems;
    }
}
