package io.signstream.launcher;

import java.nio.file.Path;

/** The four services as the launcher runs them: module, default port, heap (see each service's memory notes). */
public enum ServiceSpec {
    INGEST("feature-ingest-service", 8081, "512m", false, "publisher"),
    NORMALIZATION("normalization-service", 8082, "1g", false, "viewer"),
    TRAINER("trainer-service", 8083, "1500m", true, "trainer"),
    EVALUATOR("evaluator-service", 8084, "1g", true, "evaluator");

    private final String module;
    private final String role;
    private final int defaultPort;
    private final String heap;
    private final boolean runsTorch;

    ServiceSpec(String module, int defaultPort, String heap, boolean runsTorch, String role) {
        this.module = module;
        this.role = role;
        this.defaultPort = defaultPort;
        this.heap = heap;
        this.runsTorch = runsTorch;
    }

    /**
     * JVM options of the service on the local stack. Torch gets one intra-op and one inter-op thread: the local
     * stack puts six JVMs on a laptop's cores, and torch's OpenMP pool spinning against them was measured 20-50x
     * slower than one thread (teacher-model's benchmark). A dedicated pod leaves torch its default.
     */
    public java.util.List<String> jvmOptions() {
        // A JVM out of heap leaves Kafka consumers closed and threads dead while the process looks alive: exit, so
        // the launcher's health check (or Kubernetes) sees it and it restarts from its committed offsets.
        java.util.List<String> options = new java.util.ArrayList<>(
                java.util.List.of("-Xmx" + heap, "-XX:+ExitOnOutOfMemoryError"));
        if (runsTorch) {
            options.add("-Dai.djl.pytorch.num_threads=1");
            options.add("-Dai.djl.pytorch.num_interop_threads=1");
        }
        return options;
    }

    /** The role the launcher's token carries when it calls this service: what the service's writes need. */
    public String role() {
        return role;
    }

    public String module() {
        return module;
    }

    public int defaultPort() {
        return defaultPort;
    }

    /**
     * The process name (in stack.json, its log under logs/) of the {@code index}-th copy of the service, 1 first:
     * {@code trainer-service}, {@code trainer-service-2}, ...
     */
    public String processName(int index) {
        return index == 1 ? module : module + "-" + index;
    }

    /** The key of the {@code index}-th copy's port in stack.json: {@code TRAINER}, {@code TRAINER_2}, ... */
    public String portKey(int index) {
        return index == 1 ? name() : name() + "_" + index;
    }

    /** The runnable Quarkus application Maven builds in the module. */
    public Path runnerJar(Path repository) {
        return repository.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    }
}
