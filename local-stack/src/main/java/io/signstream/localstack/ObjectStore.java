package io.signstream.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import org.jboss.logging.Logger;

import io.minio.BucketExistsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;

/**
 * An S3-compatible endpoint: S3Proxy (org.gaul:s3proxy) in its own JVM, with AWS v2/v4 signatures
 * checked, so the MinIO client talks to it exactly as to MinIO.
 */
public final class ObjectStore implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ObjectStore.class);
    private static final String CLASSPATH_RESOURCE = "s3proxy.classpath";

    /** Credentials of the local stack only; on Kubernetes they come from a Secret. */
    public static final String LOCAL_ACCESS_KEY = "signstream-local";
    public static final String LOCAL_SECRET_KEY = "signstream-local-secret";

    public enum Backend {
        /** Files under the base directory: survives restarts (local stack). */
        FILESYSTEM("filesystem-nio2"),
        /** In memory: gone when the process stops (tests). */
        TRANSIENT("transient-nio2");

        private final String provider;

        Backend(String provider) {
            this.provider = provider;
        }
    }

    private final int port;
    private final ChildProcess process;

    private ObjectStore(int port, ChildProcess process) {
        this.port = port;
        this.process = process;
    }

    public static ObjectStore start(Path directory, int port, Backend backend, Duration timeout) {
        Path data = directory.resolve("data");
        try {
            Files.createDirectories(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Properties config = new Properties();
        config.setProperty("s3proxy.endpoint", "http://127.0.0.1:" + port);
        config.setProperty("s3proxy.authorization", "aws-v2-or-v4");
        config.setProperty("s3proxy.identity", LOCAL_ACCESS_KEY);
        config.setProperty("s3proxy.credential", LOCAL_SECRET_KEY);
        config.setProperty("jclouds.provider", backend.provider);
        config.setProperty("jclouds.identity", LOCAL_ACCESS_KEY);
        config.setProperty("jclouds.credential", LOCAL_SECRET_KEY);
        config.setProperty("jclouds.filesystem.basedir", data.toString());
        Path configFile = directory.resolve("s3proxy.properties");
        try {
            // It holds the secret: readable by the user only, created so before anything is written to it.
            Files.deleteIfExists(configFile);
            Files.createFile(configFile, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (var out = Files.newBufferedWriter(configFile, StandardCharsets.UTF_8)) {
            config.store(out, "written by signstream local-stack");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // DEBUG logging makes S3Proxy several times slower: keep it at warn.
        List<String> jvmArgs = List.of("-Xmx384m", "-DLOG_LEVEL=warn", "-DJETTY_LOG_LEVEL=warn");
        ChildProcess process = ChildProcess.startJava("s3proxy", ChildProcess.classpathResource(CLASSPATH_RESOURCE),
                jvmArgs, "org.gaul.s3proxy.Main", List.of("--properties", configFile.toString()),
                directory.resolve("s3proxy.log"));
        ObjectStore store = new ObjectStore(port, process);
        try {
            store.awaitReady(timeout);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        LOG.infof("object store (S3Proxy, %s) ready on %s, pid %d", backend.provider, store.endpoint(), process.pid());
        return store;
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public MinioClient client() {
        return MinioClient.builder().endpoint(endpoint()).credentials(LOCAL_ACCESS_KEY, LOCAL_SECRET_KEY).build();
    }

    public void ensureBucket(String bucket) {
        ensureBucket(client(), bucket);
    }

    /** Creates the bucket unless it exists, on any S3 endpoint the client points at. */
    public static void ensureBucket(MinioClient client, String bucket) {
        try {
            if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
                client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot create bucket " + bucket + ": " + e.getMessage(), e);
        }
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            process.checkAlive();
            if (FreePorts.isListening(port)) {
                try {
                    client().listBuckets();
                    return;
                } catch (Exception e) {
                    LOG.debugf("object store not ready yet: %s", e.getMessage());
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("S3Proxy not ready after " + timeout.toSeconds() + " s:\n"
                        + process.logTail());
            }
            KafkaBroker.sleep(200);
        }
    }

    @Override
    public void close() {
        process.close();
    }
}
