package io.signstream.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.signstream.localstack.KafkaAuth;
import io.signstream.localstack.LocalAuth;

/**
 * What {@code up} started, written to {@code <home>/stack.json} so that later commands
 * ({@code status}, {@code demo}, {@code down}) find the processes and endpoints.
 *
 * It holds the object store's secret and the Kafka principals' passwords: the file is readable by its owner only.
 *
 * @param processes name -> pid of every process the launcher started (servers it did not start are absent)
 * @param authDirectory the local token issuer's key pair ({@link LocalAuth})
 * @param kafkaPasswords principal -> password when the embedded broker authenticates (SASL), else empty
 */
public record StackState(
        String bootstrapServers,
        String objectStoreEndpoint,
        String accessKey,
        String secretKey,
        String bucket,
        Map<String, Integer> servicePorts,
        Map<String, Long> processes,
        long startedAtEpochMs,
        String authDirectory,
        Map<String, String> kafkaPasswords) {

    /**
     * The settings a Kafka client of this stack needs to connect as {@code principal} (a service's module name, or
     * {@link KafkaAuth#SUPER_USER} for the launcher's own clients); none when the broker authenticates nobody.
     */
    public Map<String, Object> kafkaClientProperties(String principal) {
        if (kafkaPasswords == null || kafkaPasswords.isEmpty()) {
            return Map.of();
        }
        KafkaAuth auth = new KafkaAuth(true, KafkaAuth.SUPER_USER, kafkaPasswords.get(KafkaAuth.SUPER_USER));
        if (principal.equals(KafkaAuth.SUPER_USER)) {
            return auth.superUserClientProperties();
        }
        String password = kafkaPasswords.get(principal);
        if (password == null) {
            throw new IllegalArgumentException("the stack has no Kafka principal " + principal);
        }
        return auth.clientProperties(principal, password);
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String FILE = "stack.json";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    /** Long enough for the longest demo; the launcher mints a new one per command. */
    private static final Duration LAUNCHER_TOKEN_LIFETIME = Duration.ofHours(12);

    public String serviceUrl(ServiceSpec service) {
        return serviceUrl(service, 1);
    }

    /** The {@code index}-th copy of a service ({@code up --trainers N} starts N trainers), 1 first. */
    public String serviceUrl(ServiceSpec service, int index) {
        Integer port = servicePorts.get(service.portKey(index));
        if (port == null) {
            throw new IllegalArgumentException("the stack has no " + service.processName(index));
        }
        return "http://127.0.0.1:" + port;
    }

    /** How many copies of the service the stack started. */
    public int copies(ServiceSpec service) {
        int copies = 0;
        while (servicePorts.containsKey(service.portKey(copies + 1)) && processes.containsKey(
                service.processName(copies + 1))) {
            copies++;
        }
        return copies;
    }

    /** The pid of the {@code index}-th copy of a service. */
    public long pid(ServiceSpec service, int index) {
        return processes.get(service.processName(index));
    }

    /** A client of the {@code index}-th copy of a service, with the role its writes need. */
    public ServiceClient client(ServiceSpec service, int index) {
        String token = LocalAuth.in(Path.of(authDirectory)).token("signstream-launcher", List.of(service.role()),
                LAUNCHER_TOKEN_LIFETIME);
        return new ServiceClient(serviceUrl(service, index), token);
    }

    /** A client of {@code service} whose token carries the role the service's writes need. */
    public ServiceClient client(ServiceSpec service) {
        String token = LocalAuth.in(Path.of(authDirectory)).token("signstream-launcher", List.of(service.role()),
                LAUNCHER_TOKEN_LIFETIME);
        return new ServiceClient(serviceUrl(service), token);
    }

    public void write(Path home) {
        try {
            Files.createDirectories(home);
            Path file = home.resolve(FILE);
            if (!Files.exists(file)) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            }
            Files.setPosixFilePermissions(file, OWNER_ONLY);
            JSON.writeValue(file.toFile(), this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Optional<StackState> read(Path home) {
        Path file = home.resolve(FILE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), StackState.class));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    public static void delete(Path home) {
        try {
            Files.deleteIfExists(home.resolve(FILE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
