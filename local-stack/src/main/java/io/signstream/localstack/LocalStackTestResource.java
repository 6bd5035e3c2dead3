package io.signstream.localstack;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Points a Quarkus test at the JVM's shared {@link LocalStack}: a real KRaft broker and a real
 * S3 endpoint. The stack outlives individual test classes and application restarts, and stops with the JVM.
 * The services verify bearer tokens of the JVM's {@link LocalAuth#shared() test issuer} ({@link TestTokens}).
 */
public class LocalStackTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new java.util.LinkedHashMap<>(LocalStack.sharedConfig());
        config.putAll(LocalAuth.shared().serviceConfig());
        return config;
    }

    @Override
    public void stop() {
        // shared across test classes; the JVM shutdown hook stops it
    }
}
