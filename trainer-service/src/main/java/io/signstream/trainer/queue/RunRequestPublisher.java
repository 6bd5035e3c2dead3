package io.signstream.trainer.queue;

import java.nio.charset.StandardCharsets;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Puts run requests on {@code training.requests} through the {@code training-requests} channel: key and value the run
 * id (run.json in the bucket holds the rest), each waited for until the broker acknowledges it.
 */
@ApplicationScoped
public class RunRequestPublisher implements RunRequests {

    @Inject
    @Channel("training-requests")
    MutinyEmitter<byte[]> emitter;

    @Override
    public void publish(String runId) {
        Message<byte[]> message = Message.of(runId.getBytes(StandardCharsets.UTF_8))
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(runId).build());
        try {
            emitter.sendMessageAndAwait(message);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot queue run " + runId + " on training.requests: " + e.getMessage(), e);
        }
    }
}
