package io.signstream.normalization.messaging;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.eclipse.microprofile.reactive.messaging.Outgoing;
import org.jboss.logging.Logger;

import io.signstream.contract.RejectionReason;
import io.signstream.normalization.messaging.RecordStep.Outcome;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * features.raw in, one record out per record in: the normalized sample on its split's topic
 * (features.normalized.train, .dev or .test), or the original on features.rejected (the same outgoing channel, topic
 * set per message) with reason headers. The input is
 * acknowledged only when its output is, and the connector's throttled commit strategy commits an offset only when
 * every record before it is acknowledged: at-least-once, nothing lost, a replay after a crash at most re-sends
 * outputs that were already written (see the README). Channel settings are in application.properties.
 */
@ApplicationScoped
public class NormalizationProcessor {

    private static final Logger LOG = Logger.getLogger(NormalizationProcessor.class);

    @Inject
    NormalizationService service;

    /** Decoding, z-scoring and encoding a sample is milliseconds of CPU: worker threads, in order per partition. */
    @Incoming("raw")
    @Outgoing("normalized")
    @Blocking
    public Message<byte[]> process(Message<byte[]> in) {
        IncomingKafkaRecordMetadata<String, byte[]> source = sourceOf(in);
        NormalizationMetrics metrics = service.metrics();
        long started = System.nanoTime();
        Outcome outcome = apply(source, in.getPayload());
        metrics.processed(size(in.getPayload()), System.nanoTime() - started);

        OutgoingKafkaRecordMetadata<String> target;
        byte[] value;
        if (outcome.published()) {
            value = outcome.value();
            var builder = OutgoingKafkaRecordMetadata.<String>builder().withKey(outcome.key())
                    .withHeaders(copy(source.getHeaders()));
            if (outcome.split() != null) {
                builder.withTopic(service.normalizedTopic(outcome.split()));
            }
            target = builder.build();
        } else {
            LOG.infof("rejected %s-%d@%d (key %s): %s %s", source.getTopic(), source.getPartition(),
                    source.getOffset(), source.getKey(), outcome.reason(), outcome.detail());
            Rejections.Rejection rejection = service.rejections().of(source, in.getPayload(), outcome.reason(),
                    outcome.detail());
            value = rejection.value();
            target = OutgoingKafkaRecordMetadata.<String>builder().withTopic(service.rejectedTopic())
                    .withKey(source.getKey()).withHeaders(rejection.headers()).build();
        }
        long timestamp = source.getTimestamp() == null ? -1 : source.getTimestamp().toEpochMilli();
        return Message.of(value, Metadata.of(target), () -> {
            metrics.delivered(outcome, value.length, timestamp, System.currentTimeMillis());
            return in.ack();
        }, cause -> notSent(in, source, cause));
    }

    private Outcome apply(IncomingKafkaRecordMetadata<String, byte[]> source, byte[] value) {
        try {
            return service.step().apply(source.getKey(), value);
        } catch (RuntimeException e) {
            // A bug must not turn one record into a poison pill that stops the partition: park it on the
            // rejected topic with the error, where it can be looked at and replayed.
            LOG.errorf(e, "step failed on %s-%d@%d", source.getTopic(), source.getPartition(), source.getOffset());
            return Outcome.reject(RejectionReason.PROCESSING_FAILED, "record could not be processed: " + e);
        }
    }

    /**
     * The connector gave up on an output. A failure that no retry can cure sends the input, as it came, to the
     * rejected topic through the channel's dead-letter queue, so the partition moves on. Any other failure (the
     * broker unreachable past delivery.timeout.ms) leaves the input unacknowledged: its offset is never committed,
     * and after throttled.unprocessed-record-max-age.ms the connector reports the channel unhealthy, so the
     * instance is restarted and the record read again.
     */
    private CompletionStage<Void> notSent(Message<byte[]> in, IncomingKafkaRecordMetadata<String, byte[]> source,
            Throwable cause) {
        service.metrics().sendFailed();
        if (!undeliverable(cause)) {
            LOG.errorf("output of %s-%d@%d not acknowledged (%s); it stays uncommitted", source.getTopic(),
                    source.getPartition(), source.getOffset(), cause);
            return CompletableFuture.completedFuture(null);
        }
        LOG.warnf("output of %s-%d@%d can never be sent (%s); rejecting the input", source.getTopic(),
                source.getPartition(), source.getOffset(), cause);
        Headers reasons = service.rejections().reasonHeaders(source.getTopic(), RejectionReason.UNDELIVERABLE,
                "the output could not be written: " + cause);
        return in.nack(cause, Metadata.of(OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(service.rejectedTopic()).withHeaders(reasons).build()));
    }

    static boolean undeliverable(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof RecordTooLargeException || t instanceof RecordBatchTooLargeException
                    || t instanceof SerializationException || t instanceof AuthorizationException
                    || t instanceof InvalidTopicException) {
                return true;
            }
        }
        return false;
    }

    @SuppressWarnings("unchecked")
    private static IncomingKafkaRecordMetadata<String, byte[]> sourceOf(Message<byte[]> in) {
        return in.getMetadata(IncomingKafkaRecordMetadata.class)
                .orElseThrow(() -> new IllegalStateException("not a Kafka record: " + in));
    }

    private static Headers copy(Headers headers) {
        return new org.apache.kafka.common.header.internals.RecordHeaders(headers.toArray());
    }

    private static int size(byte[] value) {
        return value == null ? 0 : value.length;
    }
}
