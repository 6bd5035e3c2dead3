package io.signstream.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * What {@code up} started, written to {@code <home>/stack.json} so that later commands
 * ({@code status}, {@code demo}, {@code down}) find the processes and endpoints.
 *
 * @param processes name -> pid of every process the launcher started (servers it did not start are absent)
 */
public record StackState(
        String bootstrapServers,
        String objectStoreEndpoint,
        String accessKey,
        String secretKey,
        String bucket,
        Map<String, Integer> servicePorts,
        Map<String, Long> processes,
        long startedAtEpochMs) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String FILE = "stack.json";

    public String serviceUrl(ServiceSpec service) {
        return "http://127.0.0.1:" + servicePorts.get(service.name());
    }

    public void write(Path home) {
        try {
            Files.createDirectories(home);
            JSON.writeValue(home.resolve(FILE).toFile(), this);
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
