package io.signstream.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Where things are in the checkout, found from this module's directory (deploy/). */
final class Repository {

    /** The four services, each a Maven module, a Deployment, a Service and an image of the same name. */
    static final List<String> SERVICES = List.of(
            "feature-ingest-service", "normalization-service", "trainer-service", "evaluator-service");

    static final String TRAINER = "trainer-service";

    private Repository() {
    }

    /** deploy/ (surefire sets basedir; from an IDE the working directory is the module). */
    static Path deployDir() {
        Path dir = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
        if (!Files.isDirectory(dir.resolve("overlays"))) {
            throw new IllegalStateException("not the deploy module directory (no overlays/): " + dir);
        }
        return dir;
    }

    static Path root() {
        return deployDir().getParent();
    }

    static Path module(String service) {
        return root().resolve(service);
    }

    static Path applicationProperties(String service) {
        return module(service).resolve("src/main/resources/application.properties");
    }

    static Path dockerfile(String service) {
        return module(service).resolve("src/main/docker/Dockerfile.jvm");
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The version images are tagged with (the Maven project version, passed by surefire). */
    static String version() {
        String version = System.getProperty("signstream.version");
        if (version == null || version.isBlank()) {
            throw new IllegalStateException("system property signstream.version is not set (run through Maven)");
        }
        return version;
    }

    /** The image tag: the version this tree is released as (a -SNAPSHOT tag names no fixed build). */
    static String releaseVersion() {
        return version().replaceFirst("-SNAPSHOT$", "");
    }
}
