package io.signstream.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jboss.logging.Logger;

/**
 * Kafka and the object store, started together with the topics and bucket the services expect.
 * Tests share one instance per JVM ({@link #shared()}); the launcher starts one on fixed ports.
 */
public final class LocalStack implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LocalStack.class);

    public static final String DEFAULT_BUCKET = "signstream";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private static LocalStack shared;

    private final KafkaBroker kafka;
    private final ObjectStore objectStore;
    private final String bucket;

    private LocalStack(KafkaBroker kafka, ObjectStore objectStore, String bucket) {
        this.kafka = kafka;
        this.objectStore = objectStore;
        this.bucket = bucket;
    }

    /**
     * Starts both servers (in parallel: each takes seconds to boot a JVM), creates the topics and the bucket.
     *
     * @param kafkaPort 0 for any free port
     * @param objectStorePort 0 for any free port
     */
    public static LocalStack start(Path directory, int kafkaPort, int objectStorePort, ObjectStore.Backend backend) {
        int brokerPort = kafkaPort == 0 ? FreePorts.pick() : kafkaPort;
        int storePort = objectStorePort == 0 ? FreePorts.pick() : objectStorePort;
        var storeStart = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> ObjectStore.start(directory.resolve("object-store"), storePort, backend, START_TIMEOUT));
        KafkaBroker kafka;
        try {
            kafka = startBroker(directory.resolve("kafka"), brokerPort, kafkaPort == 0);
        } catch (RuntimeException e) {
            storeStart.thenAccept(ObjectStore::close);
            throw e;
        }
        ObjectStore store;
        try {
            store = storeStart.join();
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
        LocalStack stack = new LocalStack(kafka, store, DEFAULT_BUCKET);
        kafka.ensureTopics(TopicLayout.DEFAULT);
        store.ensureBucket(DEFAULT_BUCKET);
        return stack;
    }

    /**
     * A port that was free when picked can be taken by another process before the broker binds it (test JVMs start
     * brokers side by side): on free ports, a start that failed on a taken address is tried again on new ones.
     */
    private static KafkaBroker startBroker(Path directory, int port, boolean freePorts) {
        for (int attempt = 1;; attempt++) {
            try {
                return KafkaBroker.start(directory, port, START_TIMEOUT);
            } catch (IllegalStateException e) {
                boolean taken = String.valueOf(e.getMessage()).contains("Address already in use");
                if (!freePorts || !taken || attempt == 3) {
                    throw e;
                }
                LOG.warnf("Kafka could not bind port %d or its controller port (taken since picked): new ports", port);
                port = FreePorts.pick();
            }
        }
    }

    /** One stack per JVM on free ports, in a temporary directory, stopped when the JVM exits. */
    public static synchronized LocalStack shared() {
        if (shared == null) {
            try {
                Path directory = Files.createTempDirectory("signstream-localstack-");
                long started = System.nanoTime();
                shared = start(directory, 0, 0, ObjectStore.Backend.TRANSIENT);
                LOG.infof("shared local stack up in %d ms (%s)", (System.nanoTime() - started) / 1_000_000, directory);
                LocalStack stack = shared;
                Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "local-stack-shutdown"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return shared;
    }

    private static final String SHARED_CONFIG_PREFIX = "signstream.localstack.shared.";

    /**
     * {@link #serviceConfig()} of the JVM's shared stack, kept in system properties: a Quarkus test that restarts
     * the application loads this class again in a new class loader, where {@link #shared} is empty, and must still
     * find the running stack (the same broker and bucket) rather than start a second one.
     */
    public static synchronized Map<String, String> sharedConfig() {
        Map<String, String> config = new LinkedHashMap<>();
        System.getProperties().stringPropertyNames().stream().filter(name -> name.startsWith(SHARED_CONFIG_PREFIX))
                .sorted().forEach(name -> config.put(name.substring(SHARED_CONFIG_PREFIX.length()), System.getProperty(name)));
        if (config.isEmpty()) {
            config.putAll(shared().serviceConfig());
            config.forEach((key, value) -> System.setProperty(SHARED_CONFIG_PREFIX + key, value));
        }
        return config;
    }

    public KafkaBroker kafka() {
        return kafka;
    }

    public ObjectStore objectStore() {
        return objectStore;
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public String bucket() {
        return bucket;
    }

    /** The settings every service reads to reach this stack (the same keys as in the services' application.properties). */
    public Map<String, String> serviceConfig() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("kafka.bootstrap.servers", bootstrapServers());
        config.put("signstream.object-store.endpoint", objectStore.endpoint());
        config.put("signstream.object-store.access-key", ObjectStore.LOCAL_ACCESS_KEY);
        config.put("signstream.object-store.secret-key", ObjectStore.LOCAL_SECRET_KEY);
        config.put("signstream.object-store.bucket", bucket);
        return config;
    }

    @Override
    public void close() {
        objectStore.close();
        kafka.close();
    }
}
