package io.signstream.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.minio.MinioClient;
import io.signstream.localstack.KafkaAccess;
import io.signstream.localstack.KafkaAuth;
import io.signstream.localstack.KafkaBroker;
import io.signstream.localstack.LocalAuth;
import io.signstream.localstack.ObjectStore;
import io.signstream.localstack.TopicLayout;

/** Starts, inspects and stops the local stack: Kafka, the object store and the four services as separate processes. */
public final class Stack {

    private static final Duration SERVICE_START_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration SERVER_START_TIMEOUT = Duration.ofSeconds(120);

    private final LauncherSettings settings;
    private final Progress progress;
    /** Held while a process is started and recorded, and while {@link #down()} or {@link #stopStarted()} stop them. */
    private final Object lifecycle = new Object();
    /** Every process this instance started, in start order: what {@link #stopStarted()} stops. */
    private final Map<String, Long> started = new LinkedHashMap<>();
    /** Set by {@link #stopStarted()}: nothing is started afterwards. */
    private boolean closed;

    public Stack(LauncherSettings settings, Progress progress) {
        this.settings = settings;
        this.progress = progress;
    }

    /** Starts Kafka, the object store and all four services; a stack already up is returned as it is. */
    public StackState up() {
        return up(java.util.EnumSet.allOf(ServiceSpec.class));
    }

    /** The same with only some of the services (e.g. the data path: ingest and normalization). */
    public StackState up(java.util.Set<ServiceSpec> services) {
        return up(services, 1);
    }

    /**
     * The same with {@code trainers} trainer processes ({@code up --trainers N}): they share the run queue, each
     * trains one run at a time, on its own port (free ports with {@code SIGNSTREAM_PORTS=auto}, else 8083, 8183, ...).
     */
    public StackState up(java.util.Set<ServiceSpec> services, int trainers) {
        if (trainers < 1) {
            throw new IllegalArgumentException("--trainers must be at least 1, not " + trainers);
        }
        return up(services, Map.of(ServiceSpec.TRAINER, trainers));
    }

    /**
     * The same with several processes of some services ({@code up --trainers N --evaluators N}): replicas as
     * Kubernetes runs them, each on its own port (free ports with {@code SIGNSTREAM_PORTS=auto}, else the service's
     * port + 100, + 200, ...); a service not in {@code copies} runs once.
     */
    public StackState up(java.util.Set<ServiceSpec> services, Map<ServiceSpec, Integer> copies) {
        copies.forEach((service, count) -> {
            if (count < 1) {
                throw new IllegalArgumentException(service.module() + ": at least 1 process, not " + count);
            }
        });
        Optional<StackState> running = StackState.read(settings.home()).filter(this::allAlive);
        if (running.isPresent()) {
            progress.stage("stack already up (" + settings.home().resolve("stack.json") + ")");
            return running.get();
        }
        StackState.read(settings.home()).ifPresent(stale -> stop(stale.processes()));
        for (ServiceSpec service : services) {
            if (!Files.exists(service.runnerJar(settings.repository()))) {
                throw new IllegalStateException(service.runnerJar(settings.repository())
                        + " is missing: build first (./signstream does, or mvn -B install -DskipTests)");
            }
        }
        Map<String, Long> processes = new LinkedHashMap<>();
        String bootstrap = settings.externalBootstrapServers();
        Map<String, String> kafkaPasswords = new LinkedHashMap<>();
        if (bootstrap == null) {
            int port = portOrFree(settings.kafkaPort());
            KafkaAuth auth = settings.kafkaAuth() ? KafkaAuth.scram() : KafkaAuth.NONE;
            progress.stage("starting Kafka (KRaft) on port " + port + (auth.enabled() ? " with SASL and ACLs" : ""));
            KafkaBroker broker;
            synchronized (lifecycle) {
                ensureOpen();
                broker = KafkaBroker.start(settings.home().resolve("kafka"), port, SERVER_START_TIMEOUT, auth);
                bootstrap = broker.bootstrapServers();
                processes.put("kafka", broker.pid());
                started.put("kafka", broker.pid());
            }
            broker.ensureTopics(TopicLayout.DEFAULT);
            if (auth.enabled()) {
                // Fresh passwords on every start: the broker's configuration (and its super user) is rewritten too.
                kafkaPasswords.put(KafkaAuth.SUPER_USER, auth.superUserPassword());
                KafkaAccess.DEFAULT.forEach(principal -> kafkaPasswords.put(principal.name(), KafkaAuth.randomPassword()));
                broker.applyAccess(KafkaAccess.DEFAULT, kafkaPasswords);
                progress.stage("Kafka principals " + KafkaAccess.DEFAULT.stream().map(KafkaAccess.Principal::name).toList()
                        + " (passwords in " + settings.home().resolve("stack.json") + ")");
            }
        } else {
            if (settings.kafkaAuth()) {
                throw new IllegalStateException("SIGNSTREAM_KAFKA_AUTH applies to the embedded broker, not to "
                        + bootstrap + ": configure an external cluster's credentials there");
            }
            KafkaBroker.ensureTopics(bootstrap, TopicLayout.DEFAULT);
        }

        String endpoint = settings.externalObjectStoreEndpoint();
        if (endpoint == null) {
            int port = portOrFree(settings.objectStorePort());
            progress.stage("starting the object store (S3Proxy) on port " + port);
            synchronized (lifecycle) {
                ensureOpen();
                ObjectStore store = ObjectStore.start(settings.home().resolve("object-store"), port,
                        ObjectStore.Backend.FILESYSTEM, SERVER_START_TIMEOUT);
                endpoint = store.endpoint();
                processes.put("object-store", store.pid());
                started.put("object-store", store.pid());
            }
        }
        ObjectStore.ensureBucket(MinioClient.builder().endpoint(endpoint)
                .credentials(settings.accessKey(), settings.secretKey()).build(), settings.bucket());

        Map<String, Integer> ports = new LinkedHashMap<>();
        settings.servicePorts().forEach((service, port) -> ports.put(service.name(), port));
        List<Instance> instances = new ArrayList<>();
        for (ServiceSpec service : services) {
            instances.add(new Instance(service, 1));
            for (int index = 2; index <= copies.getOrDefault(service, 1); index++) {
                int base = settings.servicePorts().get(service);
                ports.put(service.portKey(index), settings.kafkaPort() == 0 ? portOrFree(0) : base + 100 * (index - 1));
                instances.add(new Instance(service, index));
            }
        }
        Path auth = settings.home().resolve("auth");
        LocalAuth.in(auth);
        StackState state = new StackState(bootstrap, endpoint, settings.accessKey(), settings.secretKey(),
                settings.bucket(), ports, processes, System.currentTimeMillis(), auth.toString(), kafkaPasswords);
        synchronized (lifecycle) {
            ensureOpen();
            state.write(settings.home());
        }
        for (Instance instance : instances) {
            synchronized (lifecycle) {
                ensureOpen();
                long pid = startService(instance.service(), instance.index(), state);
                processes.put(instance.name(), pid);
                started.put(instance.name(), pid);
                state.write(settings.home());
            }
        }
        for (Instance instance : instances) {
            awaitReady(instance.service(), instance.index(), state);
        }
        progress.stage("stack up: Kafka " + bootstrap + ", object store " + endpoint + ", services on ports "
                + ports.values());
        return state;
    }

    /** One process of a service: the {@code index}-th copy (several trainers or evaluators). */
    private record Instance(ServiceSpec service, int index) {
        String name() {
            return service.processName(index);
        }
    }

    /**
     * Starts one service of a running stack again, e.g. after it died: a trainer picks up the run it was
     * training from its last checkpoint. A process of that service still alive is stopped first.
     */
    public StackState restart(ServiceSpec service) {
        StackState state = StackState.read(settings.home())
                .orElseThrow(() -> new IllegalStateException("the stack is not up"));
        Long old = state.processes().get(service.module());
        if (old != null) {
            ProcessHandle.of(old).ifPresent(process -> {
                process.destroy();
                process.onExit().orTimeout(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS).exceptionally(e -> {
                    process.destroyForcibly();
                    return process;
                }).join();
            });
        }
        StackState restarted;
        synchronized (lifecycle) {
            ensureOpen();
            Map<String, Long> processes = new LinkedHashMap<>(state.processes());
            long pid = startService(service, 1, state);
            processes.put(service.module(), pid);
            started.put(service.module(), pid);
            restarted = new StackState(state.bootstrapServers(), state.objectStoreEndpoint(), state.accessKey(),
                    state.secretKey(), state.bucket(), state.servicePorts(), processes, state.startedAtEpochMs(),
                    state.authDirectory(), state.kafkaPasswords());
            restarted.write(settings.home());
        }
        awaitReady(service, 1, restarted);
        return restarted;
    }

    /** Stops every process the launcher started, services first; returns the names of those that needed a kill. */
    public List<String> down() {
        synchronized (lifecycle) {
            Optional<StackState> state = StackState.read(settings.home());
            if (state.isEmpty()) {
                progress.stage("nothing to stop: no " + settings.home().resolve("stack.json"));
                return List.of();
            }
            List<String> killed = stop(state.get().processes()).killed();
            StackState.delete(settings.home());
            progress.stage(killed.isEmpty() ? "stack stopped cleanly" : "stack stopped; had to kill " + killed);
            return killed;
        }
    }

    /**
     * Stops every process this instance started that still runs, in the order {@link #down()} does (services first,
     * each asked with SIGTERM and killed after {@link #STOP_TIMEOUT}), and starts nothing afterwards: what the
     * launcher does when it is itself stopped by a signal. The stack state is removed once no process it records is
     * left running, so no stale "up" state remains. Waits for a start or stop in progress on another thread first.
     */
    public Stopped stopStarted() {
        synchronized (lifecycle) {
            closed = true;
            Stopped stopped = stop(started);
            started.clear();
            StackState.read(settings.home()).filter(state -> state.processes().values().stream()
                    .noneMatch(Stack::alive)).ifPresent(state -> StackState.delete(settings.home()));
            return stopped;
        }
    }

    /** What a stop did: the processes it found running and stopped, and those of them it had to kill. */
    public record Stopped(List<String> stopped, List<String> killed) {
    }

    /** True when every process of the recorded stack is alive. */
    public boolean isUp() {
        return StackState.read(settings.home()).filter(this::allAlive).isPresent();
    }

    public Optional<StackState> state() {
        return StackState.read(settings.home());
    }

    /** One line per process: name, pid, alive or not, and for services whether they report ready. */
    public List<String> status() {
        Optional<StackState> state = StackState.read(settings.home());
        if (state.isEmpty()) {
            return List.of("not running (no " + settings.home().resolve("stack.json") + ")");
        }
        List<String> lines = new ArrayList<>();
        lines.add("kafka: " + state.get().bootstrapServers() + ", object store: " + state.get().objectStoreEndpoint());
        state.get().processes().forEach((name, pid) -> {
            boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
            String line = String.format("%-24s pid %-8d %s", name, pid, alive ? "running" : "NOT RUNNING");
            for (ServiceSpec service : ServiceSpec.values()) {
                for (int index = 1; index <= Math.max(1, state.get().copies(service)); index++) {
                    if (service.processName(index).equals(name) && alive) {
                        String url = state.get().serviceUrl(service, index);
                        line += isReady(url) ? ", ready at " : ", not ready at ";
                        line += url;
                    }
                }
            }
            lines.add(line);
        });
        return lines;
    }

    private long startService(ServiceSpec service, int index, StackState state) {
        int port = state.servicePorts().get(service.portKey(index));
        progress.stage("starting " + service.processName(index) + " on port " + port);
        Path log = settings.home().resolve("logs").resolve(service.processName(index) + ".log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(service.jvmOptions());
        // Nothing secret on the command line (other users can read it in ps): the secret goes by environment.
        command.addAll(List.of(
                "-Dquarkus.http.host=" + settings.bindHost(),
                "-Dquarkus.http.port=" + port,
                "-Dkafka.bootstrap.servers=" + state.bootstrapServers(),
                "-Dsignstream.object-store.endpoint=" + state.objectStoreEndpoint(),
                "-Dsignstream.object-store.access-key=" + state.accessKey(),
                "-Dsignstream.object-store.bucket=" + state.bucket(),
                "-jar", service.runnerJar(settings.repository()).toString()));
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().put("SIGNSTREAM_OBJECT_STORE_SECRET_KEY", state.secretKey());
            LocalAuth.in(Path.of(state.authDirectory())).serviceConfig().forEach(
                    (key, value) -> builder.environment().put(key.replace('.', '_').toUpperCase(java.util.Locale.ROOT), value));
            // On an authenticating broker each service is its own principal (KafkaAccess), as on Kubernetes; the
            // password goes by environment, like every secret here.
            state.kafkaClientProperties(service.module()).forEach((key, value) -> builder.environment()
                    .put("KAFKA_" + key.replace('.', '_').toUpperCase(java.util.Locale.ROOT), String.valueOf(value)));
            builder.environment().put("SIGNSTREAM_INGEST_IMPORT_ROOT", settings.importRoot().toString());
            builder.environment().put("DJL_OFFLINE", "true");
            builder.environment().put("OPT_OUT_TRACKING", "true");
            builder.environment().putAll(settings.serviceEnvironment());
            return builder.start().pid();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + service.module(), e);
        }
    }

    private void awaitReady(ServiceSpec service, int index, StackState state) {
        long pid = state.processes().get(service.processName(index));
        String url = state.serviceUrl(service, index);
        long deadline = System.nanoTime() + SERVICE_START_TIMEOUT.toNanos();
        while (!isReady(url)) {
            if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                throw new IllegalStateException(service.processName(index) + " exited during start; see "
                        + settings.home().resolve("logs").resolve(service.processName(index) + ".log"));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(service.processName(index) + " not ready after "
                        + SERVICE_START_TIMEOUT.toSeconds() + " s; see its log under " + settings.home().resolve("logs"));
            }
            sleep(500);
        }
        progress.stage(service.processName(index) + " ready at " + url);
    }

    static boolean isReady(String baseUrl) {
        try {
            HttpResponse<Void> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(baseUrl + "/q/health/ready")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private boolean allAlive(StackState state) {
        return !state.processes().isEmpty() && state.processes().values().stream()
                .allMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the launcher is stopping: nothing more is started");
        }
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /**
     * Services first (they hold consumers and producers), then the object store and Kafka: the reverse of
     * {@code processes}' start order.
     */
    private Stopped stop(Map<String, Long> processes) {
        List<String> stopped = new ArrayList<>();
        List<String> killed = new ArrayList<>();
        List<Map.Entry<String, Long>> order = new ArrayList<>(processes.entrySet());
        java.util.Collections.reverse(order);
        for (Map.Entry<String, Long> process : order) {
            Optional<ProcessHandle> handle = ProcessHandle.of(process.getValue());
            if (handle.isEmpty() || !handle.get().isAlive()) {
                continue;
            }
            stopped.add(process.getKey());
            progress.stage("stopping " + process.getKey() + " (pid " + process.getValue() + ")");
            handle.get().destroy();
            try {
                handle.get().onExit().get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (Exception e) {
                handle.get().destroyForcibly();
                killed.add(process.getKey());
                try {
                    handle.get().onExit().get(10, TimeUnit.SECONDS);
                } catch (Exception ignored) {
                    // SIGKILL cannot be refused; the kernel ends it right after
                }
            }
        }
        return new Stopped(stopped, killed);
    }

    private static int portOrFree(int port) {
        return port == 0 ? io.signstream.localstack.FreePorts.pick() : port;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
