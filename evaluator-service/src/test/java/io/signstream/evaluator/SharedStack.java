package io.signstream.evaluator;

import java.util.Map;

import io.signstream.localstack.LocalStack;

/** The JVM's one local stack as the evaluator's tests reach it, also from a restarted application. */
public final class SharedStack {

    private SharedStack() {
    }

    public static Map<String, String> config() {
        return LocalStack.sharedConfig();
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
}
