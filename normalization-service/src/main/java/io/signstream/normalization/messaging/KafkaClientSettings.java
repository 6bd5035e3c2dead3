package io.signstream.normalization.messaging;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The consumer and producer settings the delivery guarantees depend on, laid over the shared {@code kafka.*}
 * configuration (bootstrap servers, security). The service and its benchmark build their clients here, so they
 * measure and run the same thing.
 */
public final class KafkaClientSettings {

    private KafkaClientSettings() {
    }

    /**
     * @param maxMessageBytes largest record value plus framing the system carries (17 MiB)
     * @param maxPollRecords records per batch: bounds memory (each may be up to 16 MiB) and the work redone
     *        after a failed batch
     */
    public static Map<String, Object> consumer(Map<String, Object> base, String groupId, int maxMessageBytes,
            int maxPollRecords) {
        Map<String, Object> config = new HashMap<>(base);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        // Offsets are committed by the loop, only after the batch's outputs are acknowledged.
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // A new group must see every raw record ever published: the raw topic is the replayable dataset.
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // Records of an aborted producer transaction were never published.
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, maxMessageBytes);
        config.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 4 * maxMessageBytes);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
        return config;
    }

    public static Map<String, Object> producer(Map<String, Object> base, int maxMessageBytes) {
        Map<String, Object> config = new HashMap<>(base);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        // Acknowledged means written to every in-sync replica; retries never duplicate or reorder a record.
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, maxMessageBytes);
        // Room for a few multi-MB records in flight; send() blocks (back-pressure) when it is full.
        config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 4L * maxMessageBytes);
        return config;
    }
}
