package io.signstream.ingest.messaging;

import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.signstream.ingest.domain.ImportJob;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Writes import jobs and this instance's heartbeat to the compacted topic {@code ingest.imports} (channel
 * {@code imports-out}): key {@code import/{id}} = the job's {@link ImportJob.View} as JSON, lists included; key
 * {@code instance/{id}} = a heartbeat, a null value (tombstone) when the instance stops. One partition and an
 * idempotent producer keep a job's records in order.
 */
@ApplicationScoped
public class ImportStatePublisher {

    private static final Logger LOG = Logger.getLogger(ImportStatePublisher.class);
    public static final String IMPORT_KEY = "import/";
    public static final String INSTANCE_KEY = "instance/";
    static final ObjectMapper JSON = new ObjectMapper()
            .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    @Inject
    @Channel("imports-out")
    MutinyEmitter<byte[]> emitter;

    /** Sends without waiting: a newer state follows soon, and a failure is only logged. */
    public void publish(ImportJob.View view) {
        send(IMPORT_KEY + view.id(), json(view)).exceptionally(e -> {
            LOG.warnf("state of import %s (%s) not written to ingest.imports: %s", view.id(), view.status(),
                    e.getMessage());
            return null;
        });
    }

    /** Sends and waits at most {@code timeout} (shutdown: the last word on a job must get out before the JVM ends). */
    public boolean publishAndWait(ImportJob.View view, Duration timeout) {
        try {
            send(IMPORT_KEY + view.id(), json(view)).get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception e) {
            LOG.warnf("state of import %s (%s) not written to ingest.imports: %s", view.id(), view.status(),
                    e.getMessage());
            return false;
        }
    }

    public void heartbeat(String instance) {
        send(INSTANCE_KEY + instance, ("{\"heartbeatAt\":\"" + Instant.now() + "\"}").getBytes())
                .exceptionally(e -> {
                    LOG.warnf("heartbeat of %s not written to ingest.imports: %s", instance, e.getMessage());
                    return null;
                });
    }

    /** The instance is gone: its heartbeat key is deleted (compaction removes it). */
    public void retire(String instance, Duration timeout) {
        try {
            send(INSTANCE_KEY + instance, null).get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.debugf("tombstone of %s not written: %s", instance, e.getMessage());
        }
    }

    private java.util.concurrent.CompletableFuture<Void> send(String key, byte[] value) {
        Message<byte[]> message = Message.of(value)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(key).build());
        try {
            return emitter.sendMessage(message).subscribeAsCompletionStage();
        } catch (RuntimeException e) {
            // the emitter refuses at once when its channel is gone (shutdown) or its buffer is full
            return java.util.concurrent.CompletableFuture.failedFuture(e);
        }
    }

    private static byte[] json(ImportJob.View view) {
        try {
            return JSON.writeValueAsBytes(view);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("import " + view.id() + " cannot be written as JSON", e);
        }
    }

    public static ImportJob.View readView(byte[] json) throws java.io.IOException {
        return JSON.readValue(json, ImportJob.View.class);
    }
}
