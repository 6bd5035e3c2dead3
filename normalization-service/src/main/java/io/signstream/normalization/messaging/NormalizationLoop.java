package io.signstream.normalization.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import io.signstream.contract.RecordHeaders;
import io.signstream.contract.RejectionReason;
import io.signstream.normalization.messaging.RecordStep.Outcome;

/**
 * The consume-transform-produce loop, on its own thread. For each polled batch: apply the step to every record,
 * send each outcome (output topic, or rejected topic with the original value and reason headers), wait until
 * every send is acknowledged, and only then commit the batch's offsets. If any send fails, nothing is committed,
 * the consumer seeks back to the start of the batch and the batch is processed again: at-least-once delivery,
 * duplicates possible after a failure, nothing lost. A bad record is a rejection, never a reason to stop.
 */
public final class NormalizationLoop {

    private static final Logger LOG = Logger.getLogger(NormalizationLoop.class);
    private static final int MAX_DETAIL_CHARS = 2000;

    private final LoopSettings settings;
    private final RecordStep step;
    private final LoopMetrics metrics;

    private volatile boolean running;
    private volatile Thread thread;
    private volatile boolean joinedGroup;
    private volatile Set<TopicPartition> assignment = Set.of();
    private volatile Throwable fatal;

    public NormalizationLoop(LoopSettings settings, RecordStep step, LoopMetrics metrics) {
        this.settings = settings;
        this.step = step;
        this.metrics = metrics;
    }

    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("the loop was already started");
        }
        running = true;
        Thread loopThread = new Thread(this::run, "normalization-loop-" + settings.sourceTopic());
        loopThread.setDaemon(true);
        thread = loopThread;
        loopThread.start();
    }

    /**
     * Asks the loop to finish its current batch and waits for it; the thread is interrupted if it has not ended
     * within {@code timeout} (an interrupted batch is not committed and will be read again).
     */
    public void stop(Duration timeout) {
        running = false;
        Thread loopThread = thread;
        if (loopThread == null) {
            return;
        }
        try {
            loopThread.join(timeout.toMillis());
            if (loopThread.isAlive()) {
                LOG.warnf("normalization loop did not stop within %s, interrupting it", timeout);
                loopThread.interrupt();
                loopThread.join(timeout.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The loop thread is running (started and neither stopped nor dead). */
    public boolean isAlive() {
        Thread loopThread = thread;
        return loopThread != null && loopThread.isAlive();
    }

    /** The consumer has joined its group at least once, so it is connected and has (possibly no) partitions. */
    public boolean hasJoinedGroup() {
        return joinedGroup;
    }

    public Set<TopicPartition> assignment() {
        return assignment;
    }

    /** The error that ended the loop thread, if it ended by one. */
    public Throwable fatalError() {
        return fatal;
    }

    public LoopSettings settings() {
        return settings;
    }

    public LoopMetrics metrics() {
        return metrics;
    }

    private void run() {
        KafkaProducer<String, byte[]> producer = null;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(settings.consumerConfig(),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(settings.sourceTopic()), new AssignmentTracker());
            producer = newProducer();
            LOG.infof("normalization loop started: %s -> %s (rejected: %s), group %s", settings.sourceTopic(),
                    settings.outputTopic(), settings.rejectedTopic(), settings.groupId());
            while (running) {
                ConsumerRecords<String, byte[]> batch;
                try {
                    batch = consumer.poll(settings.pollTimeout());
                } catch (InterruptException e) {
                    break;
                } catch (KafkaException e) {
                    LOG.warnf("poll on %s failed (%s); retrying", settings.sourceTopic(), e.toString());
                    pause();
                    continue;
                }
                if (batch.isEmpty()) {
                    continue;
                }
                if (deliver(batch, producer)) {
                    commit(consumer, batch);
                } else {
                    metrics.batchFailed();
                    rewind(consumer, batch);
                    // A failed idempotent producer may be unusable (fenced, out of sequence): start a fresh one.
                    producer.close(Duration.ZERO);
                    producer = newProducer();
                    pause();
                }
            }
        } catch (Throwable t) {
            fatal = t;
            LOG.errorf(t, "normalization loop on %s died", settings.sourceTopic());
        } finally {
            joinedGroup = false;
            assignment = Set.of();
            if (producer != null) {
                producer.close(settings.sendTimeout());
            }
            LOG.infof("normalization loop on %s stopped", settings.sourceTopic());
        }
    }

    private KafkaProducer<String, byte[]> newProducer() {
        return new KafkaProducer<>(settings.producerConfig(), new StringSerializer(), new ByteArraySerializer());
    }

    /** Processes and sends the whole batch; true when every output was acknowledged. */
    private boolean deliver(ConsumerRecords<String, byte[]> batch, KafkaProducer<String, byte[]> producer) {
        List<Pending> pending = new ArrayList<>(batch.count());
        try {
            for (ConsumerRecord<String, byte[]> record : batch) {
                long started = System.nanoTime();
                Outcome outcome = applyStep(record);
                ProducerRecord<String, byte[]> output = outcome.published()
                        ? new ProducerRecord<>(settings.outputTopic(), null, outcome.key(), outcome.value(),
                                copy(record.headers()))
                        : rejection(record, outcome);
                metrics.processed(valueSize(record.value()), System.nanoTime() - started);
                if (!outcome.published()) {
                    LOG.infof("rejected %s-%d@%d (key %s): %s %s", record.topic(), record.partition(),
                            record.offset(), record.key(), outcome.reason(), outcome.detail());
                }
                pending.add(new Pending(outcome, producer.send(output), valueSize(output.value()), record.timestamp()));
            }
        } catch (InterruptException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (RuntimeException e) {
            LOG.warnf("sending a batch from %s failed (%s); it will be read again", settings.sourceTopic(),
                    e.toString());
            return false;
        }
        long deadline = System.nanoTime() + settings.sendTimeout().toNanos();
        for (Pending sent : pending) {
            try {
                sent.acknowledgement.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException | TimeoutException e) {
                Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                LOG.warnf("an output of a batch from %s was not acknowledged (%s); the batch will be read again",
                        settings.sourceTopic(), String.valueOf(cause));
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        long now = System.currentTimeMillis();
        for (Pending sent : pending) {
            metrics.delivered(sent.outcome, sent.valueBytes, sent.sourceTimestampMs, now);
        }
        return true;
    }

    private Outcome applyStep(ConsumerRecord<String, byte[]> record) {
        try {
            return step.apply(record);
        } catch (RuntimeException e) {
            // A bug must not turn one record into a poison pill that stops the partition: park it on the
            // rejected topic with the error, where it can be looked at and replayed.
            LOG.errorf(e, "step failed on %s-%d@%d", record.topic(), record.partition(), record.offset());
            return Outcome.reject(RejectionReason.PROCESSING_FAILED,
                    "record could not be processed: " + e);
        }
    }

    /** The original value and key, the original headers, and why. */
    private ProducerRecord<String, byte[]> rejection(ConsumerRecord<String, byte[]> record, Outcome outcome) {
        Headers headers = copy(record.headers());
        put(headers, RecordHeaders.REASON, outcome.reason().name());
        put(headers, RecordHeaders.REASON_DETAIL, abbreviate(outcome.detail()));
        put(headers, RecordHeaders.SOURCE_TOPIC, record.topic());
        put(headers, RecordHeaders.REJECTED_BY, settings.rejectedBy());
        return new ProducerRecord<>(settings.rejectedTopic(), null, record.key(), record.value(), headers);
    }

    private void commit(KafkaConsumer<String, byte[]> consumer, ConsumerRecords<String, byte[]> batch) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : batch.partitions()) {
            List<ConsumerRecord<String, byte[]>> records = batch.records(partition);
            ConsumerRecord<String, byte[]> last = records.get(records.size() - 1);
            offsets.put(partition, new OffsetAndMetadata(last.offset() + 1, last.leaderEpoch(), ""));
        }
        try {
            consumer.commitSync(offsets);
        } catch (InterruptException e) {
            Thread.currentThread().interrupt();
        } catch (KafkaException e) {
            // The outputs are already acknowledged; whoever owns these partitions next reads them again.
            LOG.warnf("committing %s failed (%s); those records will be delivered again", offsets, e.toString());
        }
    }

    private void rewind(KafkaConsumer<String, byte[]> consumer, ConsumerRecords<String, byte[]> batch) {
        for (TopicPartition partition : batch.partitions()) {
            consumer.seek(partition, batch.records(partition).get(0).offset());
        }
    }

    private void pause() {
        try {
            Thread.sleep(settings.retryBackoff().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private static Headers copy(Iterable<org.apache.kafka.common.header.Header> headers) {
        Headers copy = new org.apache.kafka.common.header.internals.RecordHeaders();
        headers.forEach(copy::add);
        return copy;
    }

    private static void put(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String abbreviate(String detail) {
        String text = detail == null ? "" : detail;
        return text.length() <= MAX_DETAIL_CHARS ? text : text.substring(0, MAX_DETAIL_CHARS) + "...";
    }

    private static int valueSize(byte[] value) {
        return value == null ? 0 : value.length;
    }

    private record Pending(Outcome outcome, Future<RecordMetadata> acknowledgement, int valueBytes,
            long sourceTimestampMs) {
    }

    private final class AssignmentTracker implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            joinedGroup = true;
            Set<TopicPartition> now = new HashSet<>(assignment);
            now.addAll(partitions);
            assignment = Set.copyOf(now);
            LOG.infof("assigned %s", partitions);
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            Set<TopicPartition> now = new HashSet<>(assignment);
            now.removeAll(partitions);
            assignment = Set.copyOf(now);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            onPartitionsRevoked(partitions);
        }
    }
}
