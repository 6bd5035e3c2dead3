package io.signstream.launcher;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

import io.signstream.localstack.FreePorts;
import io.signstream.localstack.LocalStack;
import io.signstream.localstack.ObjectStore;

/**
 * Where the launcher runs things, from environment variables. Setting KAFKA_BOOTSTRAP_SERVERS or
 * SIGNSTREAM_OBJECT_STORE_ENDPOINT points the services at an external Kafka / S3 (MinIO) instead of
 * starting the embedded ones. {@code SIGNSTREAM_KAFKA_AUTH=scram} (or {@code up --kafka-auth}) starts the embedded
 * broker with SASL and ACLs, each service as its own principal (local-stack's KafkaAccess). The services listen on {@code SIGNSTREAM_BIND_HOST} (127.0.0.1: this machine only);
 * imports read under {@code SIGNSTREAM_IMPORT_ROOT} (the stack's home, where the demo writes its data).
 */
public record LauncherSettings(
        Path repository,
        Path home,
        String externalBootstrapServers,
        String externalObjectStoreEndpoint,
        String accessKey,
        String secretKey,
        String bucket,
        int kafkaPort,
        int objectStorePort,
        Map<ServiceSpec, Integer> servicePorts,
        String bindHost,
        Path importRoot,
        boolean kafkaAuth,
        Map<String, String> serviceEnvironment) {

    /**
     * Settings of the services the launcher passes on to them: the trainer's queue, lease and stall timings, how
     * long the services' REST calls wait for the object store, and the ingest replicas' heartbeat and lease.
     */
    static final java.util.List<String> SERVICE_SETTING_PREFIXES = java.util.List.of("SIGNSTREAM_TRAINER_",
            "SIGNSTREAM_OBJECT_STORE_RETRY_", "SIGNSTREAM_INGEST_INSTANCE_");

    /** The same settings with the embedded broker authenticating every client. */
    public LauncherSettings withKafkaAuth() {
        return new LauncherSettings(repository, home, externalBootstrapServers, externalObjectStoreEndpoint, accessKey,
                secretKey, bucket, kafkaPort, objectStorePort, servicePorts, bindHost, importRoot, true,
                serviceEnvironment);
    }

    public static LauncherSettings fromEnvironment(Map<String, String> env) {
        Path repository = Path.of(env.getOrDefault("SIGNSTREAM_REPO", ".")).toAbsolutePath().normalize();
        Path home = Path.of(env.getOrDefault("SIGNSTREAM_HOME", repository.resolve(".local-stack").toString()));
        // "auto" picks free ports: lets a test run beside a stack already up on the default ports.
        boolean autoPorts = "auto".equalsIgnoreCase(env.get("SIGNSTREAM_PORTS"));
        Map<ServiceSpec, Integer> ports = new EnumMap<>(ServiceSpec.class);
        for (ServiceSpec service : ServiceSpec.values()) {
            ports.put(service, autoPorts ? FreePorts.pick()
                    : Integer.parseInt(env.getOrDefault("SIGNSTREAM_" + service.name() + "_PORT",
                            String.valueOf(service.defaultPort()))));
        }
        String endpoint = blankToNull(env.get("SIGNSTREAM_OBJECT_STORE_ENDPOINT"));
        return new LauncherSettings(repository, home.toAbsolutePath().normalize(),
                blankToNull(env.get("KAFKA_BOOTSTRAP_SERVERS")),
                endpoint,
                endpoint == null ? ObjectStore.LOCAL_ACCESS_KEY : env.getOrDefault("SIGNSTREAM_OBJECT_STORE_ACCESS_KEY", ""),
                endpoint == null ? ObjectStore.LOCAL_SECRET_KEY : env.getOrDefault("SIGNSTREAM_OBJECT_STORE_SECRET_KEY", ""),
                env.getOrDefault("SIGNSTREAM_OBJECT_STORE_BUCKET", LocalStack.DEFAULT_BUCKET),
                autoPorts ? 0 : Integer.parseInt(env.getOrDefault("SIGNSTREAM_KAFKA_PORT", "9092")),
                autoPorts ? 0 : Integer.parseInt(env.getOrDefault("SIGNSTREAM_OBJECT_STORE_PORT", "9000")),
                ports,
                env.getOrDefault("SIGNSTREAM_BIND_HOST", "127.0.0.1"),
                Path.of(env.getOrDefault("SIGNSTREAM_IMPORT_ROOT", home.toString())).toAbsolutePath().normalize(),
                kafkaAuth(env.getOrDefault("SIGNSTREAM_KAFKA_AUTH", "none")),
                serviceEnvironment(env));
    }

    private static boolean kafkaAuth(String value) {
        return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "scram" -> true;
            case "", "none" -> false;
            default -> throw new IllegalArgumentException("SIGNSTREAM_KAFKA_AUTH=" + value + ": use scram or none");
        };
    }

    private static Map<String, String> serviceEnvironment(Map<String, String> env) {
        Map<String, String> passed = new java.util.TreeMap<>();
        env.forEach((key, value) -> {
            if (SERVICE_SETTING_PREFIXES.stream().anyMatch(key::startsWith)) {
                passed.put(key, value);
            }
        });
        return Map.copyOf(passed);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
