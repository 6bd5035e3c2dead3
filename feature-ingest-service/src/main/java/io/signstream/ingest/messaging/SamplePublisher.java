package io.signstream.ingest.messaging;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.signstream.contract.FeatureSampleCodec;
import io.signstream.contract.proto.FeatureSample;

/** Publishes validated samples to {@code features.raw}, key = sample id, value = Protobuf {@link FeatureSample}. */
@ApplicationScoped
public class SamplePublisher {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;
    @ConfigProperty(name = "signstream.topics.raw", defaultValue = "features.raw")
    String topic;
    @ConfigProperty(name = "signstream.ingest.producer.acks", defaultValue = "all")
    String acks;
    @ConfigProperty(name = "signstream.ingest.producer.enable-idempotence", defaultValue = "true")
    boolean idempotence;
    @ConfigProperty(name = "signstream.ingest.producer.max-request-size", defaultValue = "17825792")
    int maxRequestSize;
    @ConfigProperty(name = "signstream.ingest.producer.buffer-memory", defaultValue = "67108864")
    long bufferMemory;
    @ConfigProperty(name = "signstream.ingest.producer.max-block-ms", defaultValue = "10000")
    int maxBlockMs;
    @ConfigProperty(name = "signstream.ingest.producer.request-timeout-ms", defaultValue = "15000")
    int requestTimeoutMs;
    @ConfigProperty(name = "signstream.ingest.producer.delivery-timeout-ms", defaultValue = "30000")
    int deliveryTimeoutMs;

    private Producer<String, byte[]> producer;

    @PostConstruct
    void start() {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "feature-ingest-service");
        config.put(ProducerConfig.ACKS_CONFIG, acks);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, idempotence);
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, maxRequestSize);
        config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, bufferMemory);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, maxBlockMs);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, requestTimeoutMs);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, deliveryTimeoutMs);
        producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    @PreDestroy
    void stop() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(10));
        }
    }

    public String topic() {
        return topic;
    }

    /**
     * Sends without waiting. The future completes with the broker's acknowledgement, or exceptionally
     * (also when {@code send} itself throws, e.g. no metadata within max-block-ms).
     */
    public CompletableFuture<RecordMetadata> publishAsync(FeatureSample sample) {
        CompletableFuture<RecordMetadata> acknowledged = new CompletableFuture<>();
        try {
            producer.send(new ProducerRecord<>(topic, sample.getSampleId(), FeatureSampleCodec.encode(sample)),
                    (metadata, error) -> {
                        if (error != null) {
                            acknowledged.completeExceptionally(error);
                        } else {
                            acknowledged.complete(metadata);
                        }
                    });
        } catch (RuntimeException e) {
            acknowledged.completeExceptionally(e);
        }
        return acknowledged;
    }

    /**
     * Sends and waits for the broker's acknowledgement (acks=all): when this returns, the sample is durable.
     *
     * @throws PublishFailedException when the broker did not acknowledge it
     */
    public RecordMetadata publish(FeatureSample sample) {
        return await(sample.getSampleId(), publishAsync(sample));
    }

    /** Waits a little longer than delivery.timeout.ms, the producer's own bound on a definitive answer. */
    public RecordMetadata await(String sampleId, CompletableFuture<RecordMetadata> acknowledged) {
        try {
            return acknowledged.get(maxBlockMs + deliveryTimeoutMs + 5_000L, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new PublishFailedException("sample " + sampleId + " was not published to " + topic + ": "
                    + cause.getClass().getSimpleName() + ": " + cause.getMessage(), cause);
        } catch (TimeoutException e) {
            throw new PublishFailedException("sample " + sampleId + " was not acknowledged by the broker in time", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishFailedException("interrupted while publishing sample " + sampleId, e);
        }
    }
}
