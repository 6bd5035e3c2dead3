package io.signstream.normalization.messaging;

import java.time.Duration;
import java.util.Map;

/**
 * Everything the consume-transform-produce loop needs besides its step.
 *
 * @param sourceTopic records to transform
 * @param outputTopic where published outcomes go
 * @param rejectedTopic where rejected records go, unchanged, with reason headers
 * @param rejectedBy value of the rejected-by header
 * @param pollTimeout longest wait in one poll; also bounds how long a stop request waits for the loop
 * @param sendTimeout longest wait for the acknowledgements of one batch before it counts as failed
 * @param retryBackoff pause after a failed batch before it is read again
 * @param consumerConfig complete Kafka consumer configuration (deserializers are set by the loop)
 * @param producerConfig complete Kafka producer configuration (serializers are set by the loop)
 */
public record LoopSettings(String sourceTopic, String outputTopic, String rejectedTopic, String rejectedBy,
        Duration pollTimeout, Duration sendTimeout, Duration retryBackoff,
        Map<String, Object> consumerConfig, Map<String, Object> producerConfig) {

    public LoopSettings {
        consumerConfig = Map.copyOf(consumerConfig);
        producerConfig = Map.copyOf(producerConfig);
    }

    public String groupId() {
        return String.valueOf(consumerConfig.get("group.id"));
    }
}
