package io.signstream.evaluator;

import java.util.LinkedHashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.signstream.localstack.LocalStack;
import io.signstream.localstack.LocalStackTestResource;

/**
 * {@link LocalStackTestResource}, but one stack for the whole test JVM even across application restarts.
 * <p>
 * {@link LocalStack#shared()} keeps its instance in a static field; when a test profile makes Quarkus boot a new
 * application, the test resource comes from a new class loader, that field is empty again and a second, empty stack
 * would start, so a "restarted" service would look at another bucket. The stack's settings are therefore kept in
 * JVM-wide system properties and handed to every application instance (and to plain unit tests) from there.
 */
public final class SharedStack implements QuarkusTestResourceLifecycleManager {

    private static final String PREFIX = "signstream.test.shared-stack.";

    /** The settings of the JVM's one local stack, starting it on first use. */
    public static synchronized Map<String, String> config() {
        Map<String, String> config = new LinkedHashMap<>();
        System.getProperties().stringPropertyNames().stream().filter(name -> name.startsWith(PREFIX)).sorted()
                .forEach(name -> config.put(name.substring(PREFIX.length()), System.getProperty(name)));
        if (config.isEmpty()) {
            config.putAll(LocalStack.shared().serviceConfig());
            config.forEach((key, value) -> System.setProperty(PREFIX + key, value));
        }
        return config;
    }

    public static String bootstrapServers() {
        return config().get("kafka.bootstrap.servers");
    }

    public static io.minio.MinioClient client() {
        Map<String, String> config = config();
        return TestData.client(config.get("signstream.object-store.endpoint"),
                config.get("signstream.object-store.access-key"), config.get("signstream.object-store.secret-key"));
    }

    public static String bucket() {
        return config().get("signstream.object-store.bucket");
    }

    @Override
    public Map<String, String> start() {
        return config();
    }

    @Override
    public void stop() {
        // one stack per JVM: its shutdown hook stops it
    }
}
