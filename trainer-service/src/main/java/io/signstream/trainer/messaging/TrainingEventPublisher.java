package io.signstream.trainer.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.signstream.contract.events.EventJson;
import io.signstream.contract.events.TrainingEvent;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * The run's announcements through the {@code training-events} channel (settings in application.properties), each
 * sent and waited for until the broker acknowledges it.
 */
@ApplicationScoped
public class TrainingEventPublisher implements TrainingEvents {

    @Inject
    @Channel("training-events")
    MutinyEmitter<byte[]> emitter;

    @Override
    public void publish(TrainingEvent event) {
        Message<byte[]> message = Message.of(EventJson.write(event))
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(event.runId()).build());
        try {
            emitter.sendMessageAndAwait(message);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot announce " + event.type() + " of run " + event.runId()
                    + " on training.events: " + e.getMessage(), e);
        }
    }
}
