package io.signstream.evaluator.messaging;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.signstream.checkpoint.CheckpointRef;
import io.signstream.contract.events.EventJson;
import io.signstream.contract.events.TrainingEvent;
import io.signstream.evaluator.domain.EvaluationService;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * {@code training.events} (channel {@code training-events}, settings in application.properties): queues a dev
 * evaluation with the default decoder for each CHECKPOINT_WRITTEN. The record is acknowledged when this method
 * returns, that is after the job is stored, and the throttled commit strategy commits only acknowledged offsets: an
 * event is never lost, and the service's idempotence per (run, epoch) makes a replayed one harmless. A record that is
 * not a usable event is logged and acknowledged (no retry can fix it); a failure to queue (object store down) is
 * retried here, in place, so nothing after it on the partition is processed first.
 */
@ApplicationScoped
public class TrainingEventsConsumer {

    private static final Logger LOG = Logger.getLogger(TrainingEventsConsumer.class);
    private static final Duration RETRY = Duration.ofSeconds(2);

    @Inject
    EvaluationService service;

    @ConfigProperty(name = "signstream.object-store.bucket")
    String bucket;

    private final AtomicBoolean stopping = new AtomicBoolean();

    void onStop(@Observes ShutdownEvent event) {
        stopping.set(true);
    }

    /** Reading a manifest and storing the job are object-store round trips: a worker thread, one event at a time. */
    @Incoming("training-events")
    @Blocking(ordered = true)
    public void consume(ConsumerRecord<String, byte[]> record) throws InterruptedException {
        TrainingEvent event;
        try {
            event = EventJson.read(record.value() == null ? new byte[0] : record.value(), TrainingEvent.class);
        } catch (IllegalArgumentException e) {
            LOG.warnf("skipping %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), e.getMessage());
            return;
        }
        if (event.type() != TrainingEvent.Type.CHECKPOINT_WRITTEN) {
            LOG.debugf("training event %s of run %s", event.type(), event.runId());
            return;
        }
        if (event.runId() == null || !CheckpointRef.RUN_ID.matcher(event.runId()).matches() || event.epoch() < 0
                || event.epoch() > CheckpointRef.MAX_EPOCH) {
            LOG.warnf("skipping CHECKPOINT_WRITTEN at %s-%d@%d: run '%s' epoch %d do not name a checkpoint",
                    record.topic(), record.partition(), record.offset(), event.runId(), event.epoch());
            return;
        }
        if (event.bucket() != null && !event.bucket().equals(bucket)) {
            LOG.warnf("checkpoint %s epoch %d was announced in bucket %s; this evaluator reads bucket %s",
                    event.runId(), event.epoch(), event.bucket(), bucket);
        }
        queueUntilStored(event);
    }

    private void queueUntilStored(TrainingEvent event) throws InterruptedException {
        while (true) {
            try {
                if (service.submitForCheckpoint(event.runId(), event.epoch()).isEmpty()) {
                    LOG.warnf("CHECKPOINT_WRITTEN for %s epoch %d, but bucket %s holds no complete checkpoint there:"
                            + " skipped", event.runId(), event.epoch(), bucket);
                }
                return;
            } catch (RuntimeException e) {
                if (stopping.get()) {
                    // Unacknowledged, so uncommitted: the next instance reads the event again.
                    throw new IllegalStateException("shutting down before the evaluation of " + event.runId()
                            + " epoch " + event.epoch() + " was queued", e);
                }
                LOG.errorf("cannot queue the evaluation of %s epoch %d (retrying): %s", event.runId(), event.epoch(),
                        e.getMessage());
                Thread.sleep(RETRY.toMillis());
            }
        }
    }
}
