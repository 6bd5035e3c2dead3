package io.signstream.evaluator.messaging;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.signstream.contract.events.EventJson;
import io.signstream.contract.events.TrainingEvent;
import io.signstream.evaluator.domain.EvaluationService;

/**
 * Listens to {@code training.events} (consumer group {@code signstream-evaluator}) and queues a dev evaluation with
 * the default decoder for each CHECKPOINT_WRITTEN. Offsets are committed only after the job is stored, so an event is
 * never lost; the service's idempotence makes a replayed event harmless. A record that is not a TrainingEvent is
 * logged and skipped; a failure to queue (object store down) is retried from the same offset.
 */
@ApplicationScoped
public class TrainingEventsListener {

    private static final Logger LOG = Logger.getLogger(TrainingEventsListener.class);
    private static final Duration RETRY = Duration.ofSeconds(2);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @ConfigProperty(name = "signstream.topics.training-events")
    String topic;

    @ConfigProperty(name = "signstream.evaluator.consumer-group")
    String groupId;

    @ConfigProperty(name = "signstream.evaluator.auto-evaluate")
    boolean enabled;

    @ConfigProperty(name = "signstream.object-store.bucket")
    String bucket;

    @Inject
    EvaluationService service;

    private final AtomicBoolean running = new AtomicBoolean();
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    /** After the service has read its stored evaluations (its observer runs first), so replays are recognized. */
    void onStart(@Observes @Priority(Interceptor.Priority.APPLICATION + 1000) StartupEvent event) {
        if (!enabled) {
            LOG.info("automatic evaluation of new checkpoints is off (signstream.evaluator.auto-evaluate=false)");
            return;
        }
        running.set(true);
        thread = new Thread(this::listen, "training-events-listener");
        thread.setDaemon(true);
        thread.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        running.set(false);
        KafkaConsumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public boolean isRunning() {
        return running.get() && thread != null && thread.isAlive();
    }

    private void listen() {
        try (KafkaConsumer<String, byte[]> kafka = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, groupId,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                // a new evaluator catches up with checkpoints announced before it started
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                // an evaluation may wait for a full queue: give the poll loop room before the group evicts us
                ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 30 * 60 * 1000,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            consumer = kafka;
            kafka.subscribe(List.of(topic));
            LOG.infof("listening to %s as group %s", topic, groupId);
            while (running.get()) {
                ConsumerRecords<String, byte[]> records = kafka.poll(Duration.ofMillis(500));
                for (ConsumerRecord<String, byte[]> record : records) {
                    if (!handle(record)) {
                        // retry this record after a pause; nothing after it is committed
                        kafka.seek(new TopicPartition(record.topic(), record.partition()), record.offset());
                        Thread.sleep(RETRY.toMillis());
                        break;
                    }
                    kafka.commitSync(Map.of(new TopicPartition(record.topic(), record.partition()),
                            new org.apache.kafka.clients.consumer.OffsetAndMetadata(record.offset() + 1)));
                }
            }
        } catch (WakeupException e) {
            if (running.get()) {
                LOG.error("training events listener woken up unexpectedly", e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("training events listener stopped", e);
        } finally {
            consumer = null;
            running.set(false);
        }
    }

    /** @return false when the record must be retried */
    private boolean handle(ConsumerRecord<String, byte[]> record) throws InterruptedException {
        TrainingEvent event;
        try {
            event = EventJson.read(record.value() == null ? new byte[0] : record.value(), TrainingEvent.class);
        } catch (IllegalArgumentException e) {
            LOG.warnf("skipping %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), e.getMessage());
            return true;
        }
        if (event.type() != TrainingEvent.Type.CHECKPOINT_WRITTEN) {
            LOG.debugf("training event %s of run %s", event.type(), event.runId());
            return true;
        }
        if (event.runId() == null || !io.signstream.checkpoint.CheckpointRef.RUN_ID.matcher(event.runId()).matches()
                || event.epoch() < 0 || event.epoch() > io.signstream.checkpoint.CheckpointRef.MAX_EPOCH) {
            LOG.warnf("skipping CHECKPOINT_WRITTEN at %s-%d@%d: run '%s' epoch %d do not name a checkpoint",
                    record.topic(), record.partition(), record.offset(), event.runId(), event.epoch());
            return true;
        }
        if (event.bucket() != null && !event.bucket().equals(bucket)) {
            LOG.warnf("checkpoint %s epoch %d was announced in bucket %s; this evaluator reads bucket %s",
                    event.runId(), event.epoch(), event.bucket(), bucket);
        }
        try {
            var job = service.submitForCheckpoint(event.runId(), event.epoch());
            if (job.isEmpty()) {
                LOG.warnf("CHECKPOINT_WRITTEN for %s epoch %d, but bucket %s holds no complete checkpoint there: skipped",
                        event.runId(), event.epoch(), bucket);
            }
            return true;
        } catch (RuntimeException e) {
            LOG.errorf("cannot queue the evaluation of %s epoch %d (retrying): %s", event.runId(), event.epoch(),
                    e.getMessage());
            return false;
        }
    }
}
