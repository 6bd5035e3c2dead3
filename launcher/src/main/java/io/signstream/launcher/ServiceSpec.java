package io.signstream.launcher;

import java.nio.file.Path;

/** The four services as the launcher runs them: module, default port, heap. */
public enum ServiceSpec {
    INGEST("feature-ingest-service", 8081, "512m"),
    NORMALIZATION("normalization-service", 8082, "512m"),
    TRAINER("trainer-service", 8083, "1500m"),
    EVALUATOR("evaluator-service", 8084, "1g");

    private final String module;
    private final int defaultPort;
    private final String heap;

    ServiceSpec(String module, int defaultPort, String heap) {
        this.module = module;
        this.defaultPort = defaultPort;
        this.heap = heap;
    }

    public String module() {
        return module;
    }

    public int defaultPort() {
        return defaultPort;
    }

    public String heap() {
        return heap;
    }

    /** The runnable Quarkus application Maven builds in the module. */
    public Path runnerJar(Path repository) {
        return repository.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    }
}
