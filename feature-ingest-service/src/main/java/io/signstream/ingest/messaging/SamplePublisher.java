package io.signstream.ingest.messaging;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.signstream.contract.FeatureSampleCodec;
import io.signstream.contract.proto.FeatureSample;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.OutgoingMessageMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Publishes validated samples through the {@code raw} channel to {@code features.raw} (settings in
 * application.properties): key = sample id, value = Protobuf {@link FeatureSample}. Uploads and bulk imports take
 * this one path.
 */
@ApplicationScoped
public class SamplePublisher {

    /** Beyond the producer's own bound on a definitive answer, before a caller is told "not published". */
    private static final long MARGIN_MS = 5_000L;

    @Inject
    @Channel("raw")
    MutinyEmitter<byte[]> emitter;
    @ConfigProperty(name = "mp.messaging.outgoing.raw.topic")
    String topic;
    @ConfigProperty(name = "mp.messaging.outgoing.raw.max.block.ms")
    long maxBlockMs;
    @ConfigProperty(name = "mp.messaging.outgoing.raw.delivery.timeout.ms")
    long deliveryTimeoutMs;

    public String topic() {
        return topic;
    }

    /**
     * Sends without waiting. The future completes with where the broker wrote the record once it acknowledged it,
     * or exceptionally when the connector reports the record not sent (no broker within max.block.ms, refused,
     * not acknowledged within delivery.timeout.ms).
     */
    public CompletableFuture<RecordMetadata> publishAsync(FeatureSample sample) {
        // the connector puts the producer's RecordMetadata here when the broker acknowledges
        OutgoingMessageMetadata<RecordMetadata> written = new OutgoingMessageMetadata<>();
        Message<byte[]> message = Message.of(FeatureSampleCodec.encode(sample))
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(sample.getSampleId()).build())
                .addMetadata(written);
        try {
            return emitter.sendMessage(message).subscribeAsCompletionStage().thenApply(acked -> written.getResult());
        } catch (RuntimeException e) {
            // the emitter refuses at once when its channel is gone (shutdown) or its buffer is full
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Sends and waits for the broker's acknowledgement (acks=all): when this returns, the sample is durable.
     *
     * @throws PublishFailedException when the broker did not acknowledge it
     */
    public RecordMetadata publish(FeatureSample sample) {
        return await(sample.getSampleId(), publishAsync(sample));
    }

    /** Waits a little longer than max.block.ms plus delivery.timeout.ms, the producer's bound on a definitive answer. */
    public RecordMetadata await(String sampleId, CompletableFuture<RecordMetadata> acknowledged) {
        try {
            return acknowledged.get(maxBlockMs + deliveryTimeoutMs + MARGIN_MS, TimeUnit.MILLISECONDS);
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
