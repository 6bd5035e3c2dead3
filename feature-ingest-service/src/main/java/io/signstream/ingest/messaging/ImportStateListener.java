package io.signstream.ingest.messaging;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.signstream.ingest.domain.ImportStates;

/**
 * Reads {@code ingest.imports} (channel {@code imports-in}) from its start into {@link ImportStates}: every instance
 * has a consumer group of its own (a random group id per start), so each one sees every job and every heartbeat,
 * also those written before it started.
 */
@ApplicationScoped
public class ImportStateListener {

    private static final Logger LOG = Logger.getLogger(ImportStateListener.class);

    @Inject
    ImportStates states;

    @Incoming("imports-in")
    public void consume(ConsumerRecord<String, byte[]> record) {
        String key = record.key();
        if (key == null) {
            return;
        }
        Instant at = Instant.ofEpochMilli(record.timestamp());
        try {
            if (key.startsWith(ImportStatePublisher.INSTANCE_KEY)) {
                states.heartbeat(key.substring(ImportStatePublisher.INSTANCE_KEY.length()), record.value() == null
                        ? null : at);
            } else if (key.startsWith(ImportStatePublisher.IMPORT_KEY) && record.value() != null) {
                states.update(ImportStatePublisher.readView(record.value()));
            }
        } catch (java.io.IOException | RuntimeException e) {
            // a record no retry can read: said once and passed over
            LOG.warnf("skipping %s-%d@%d (%s): %s", record.topic(), record.partition(), record.offset(), key,
                    e.getMessage());
        }
    }
}
