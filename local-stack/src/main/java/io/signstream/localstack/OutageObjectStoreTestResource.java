package io.signstream.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Points a Quarkus test at the JVM's shared broker and at its own S3Proxy, one that keeps its objects on disk so
 * the test can {@link #stopObjectStore() stop} it mid-run and {@link #startObjectStore() start} it again on the same
 * port with the same objects: an S3 outage. The process, port and directory are kept in system properties (the test
 * runs in another class loader than this resource).
 */
public class OutageObjectStoreTestResource implements QuarkusTestResourceLifecycleManager {

    private static final String PREFIX = "signstream.localstack.outage-store.";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new LinkedHashMap<>(LocalStack.sharedConfig());
        config.putAll(LocalAuth.shared().serviceConfig());
        try {
            Path directory = Files.createTempDirectory("signstream-outage-store-");
            int port = FreePorts.pick();
            System.setProperty(PREFIX + "directory", directory.toString());
            System.setProperty(PREFIX + "port", Integer.toString(port));
            ObjectStore store = startObjectStore();
            Runtime.getRuntime().addShutdownHook(new Thread(OutageObjectStoreTestResource::stopObjectStore,
                    "outage-store-shutdown"));
            store.ensureBucket(config.get("signstream.object-store.bucket"));
            config.put("signstream.object-store.endpoint", store.endpoint());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return config;
    }

    @Override
    public void stop() {
        stopObjectStore();
    }

    /** Starts the test's S3Proxy (again) on its port, with the objects it had; returns once it answers. */
    public static synchronized ObjectStore startObjectStore() {
        Path directory = Path.of(System.getProperty(PREFIX + "directory"));
        int port = Integer.parseInt(System.getProperty(PREFIX + "port"));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (FreePorts.isListening(port) && System.nanoTime() < deadline) {
            KafkaBroker.sleep(100); // the stopped one may still hold the port for a moment
        }
        ObjectStore store = ObjectStore.start(directory, port, ObjectStore.Backend.FILESYSTEM, START_TIMEOUT);
        System.setProperty(PREFIX + "pid", Long.toString(store.pid()));
        return store;
    }

    /** Stops the test's S3Proxy (SIGTERM, then SIGKILL), waiting until its port is closed. */
    public static synchronized void stopObjectStore() {
        String pid = System.getProperty(PREFIX + "pid");
        if (pid == null) {
            return;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(Long.parseLong(pid));
        process.ifPresent(p -> {
            p.destroy();
            try {
                p.onExit().get(20, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                p.destroyForcibly();
            }
        });
        System.clearProperty(PREFIX + "pid");
        int port = Integer.parseInt(System.getProperty(PREFIX + "port"));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (FreePorts.isListening(port) && System.nanoTime() < deadline) {
            KafkaBroker.sleep(100);
        }
    }

    /** The endpoint of the test's S3Proxy (running or not). */
    public static String endpoint() {
        return "http://127.0.0.1:" + System.getProperty(PREFIX + "port");
    }
}
