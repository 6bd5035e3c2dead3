package io.signstream.featurestream;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import io.signstream.contract.SampleValidator;
import io.signstream.contract.Topics;

/**
 * Where and how a {@link FeatureStream} reads.
 *
 * @param topics which topic holds which split (normally {@code features.normalized.<split>}, plus the legacy
 *        {@code features.normalized})
 * @param maxFrames longest sample accepted ({@code signstream.validation.max-frames})
 * @param maxPollRecords records per poll: bounds the memory of one poll (each record may be several MB)
 * @param stallTimeout a pass fails when the broker hands out nothing for this long while data is still due
 * @param consumerOverrides extra Kafka consumer properties (security settings and the like), applied last
 */
public record FeatureStreamConfig(String bootstrapServers, SplitTopics topics, int maxFrames, int maxPollRecords,
        Duration stallTimeout, Map<String, Object> consumerOverrides) {

    /** A 16 MiB sample plus room for key, headers and framing: the same limit as the broker's. */
    public static final int MAX_MESSAGE_BYTES = Topics.MAX_RECORD_BYTES + 1024 * 1024;

    public FeatureStreamConfig {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(topics, "topics");
        if (maxFrames < 1) {
            throw new IllegalArgumentException("maxFrames must be at least 1, was " + maxFrames);
        }
        if (maxPollRecords < 1) {
            throw new IllegalArgumentException("maxPollRecords must be at least 1, was " + maxPollRecords);
        }
        stallTimeout = stallTimeout == null ? Duration.ofSeconds(60) : stallTimeout;
        consumerOverrides = consumerOverrides == null ? Map.of() : Map.copyOf(consumerOverrides);
    }

    /** The default split topics (and legacy topic) of {@link Topics}, 600 frames, 16 records per poll, 60 s stall limit. */
    public static FeatureStreamConfig of(String bootstrapServers) {
        return new FeatureStreamConfig(bootstrapServers, SplitTopics.defaults(),
                SampleValidator.DEFAULT_MAX_FRAMES, 16, Duration.ofSeconds(60), Map.of());
    }

    /** Reads every split from the one topic {@code topic} (the layout before split topics). */
    public FeatureStreamConfig withTopic(String topic) {
        return withTopics(SplitTopics.shared(topic));
    }

    public FeatureStreamConfig withTopics(SplitTopics newTopics) {
        return new FeatureStreamConfig(bootstrapServers, newTopics, maxFrames, maxPollRecords, stallTimeout, consumerOverrides);
    }

    public FeatureStreamConfig withMaxFrames(int frames) {
        return new FeatureStreamConfig(bootstrapServers, topics, frames, maxPollRecords, stallTimeout, consumerOverrides);
    }

    public FeatureStreamConfig withStallTimeout(Duration timeout) {
        return new FeatureStreamConfig(bootstrapServers, topics, maxFrames, maxPollRecords, timeout, consumerOverrides);
    }

    public FeatureStreamConfig withConsumerOverrides(Map<String, Object> overrides) {
        return new FeatureStreamConfig(bootstrapServers, topics, maxFrames, maxPollRecords, stallTimeout, overrides);
    }

    /**
     * The settings of a service's Kafka clients that say how to connect (security.protocol, sasl.*, ssl.*), out of all
     * of them (Quarkus' {@code default-kafka-broker} map, i.e. every {@code kafka.*} key and KAFKA_* variable): a
     * feature stream must authenticate like the service's channels, while their tuning (fetch sizes, groups) stays
     * theirs. Blank values (a key present but unset) are left out.
     */
    public static Map<String, Object> connectionSettings(Map<String, ?> kafkaSettings) {
        Map<String, Object> selected = new TreeMap<>();
        kafkaSettings.forEach((key, value) -> {
            boolean connection = key.equals("security.protocol") || key.startsWith("sasl.") || key.startsWith("ssl.");
            if (connection && value != null && !value.toString().isBlank()) {
                selected.put(key, value);
            }
        });
        return selected;
    }
}
