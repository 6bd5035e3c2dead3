package io.signstream.trainer.queue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import io.signstream.trainer.domain.RunManager;

/**
 * The trainer's member of the run queue's consumer group, a member only while the trainer is free.
 *
 * <p>A request stays uncommitted while its run is queued or trains anywhere, and is committed (by whichever member
 * holds its partition then) once the run has ended: the group's lag is exactly the runs queued or training, what
 * KEDA scales on. A free trainer holds one request per partition (the partition paused behind it) and looks at each
 * every check interval: it claims a run nobody owns and trains it, watches a run another trainer owns (and takes it
 * over when that owner's lease lapses), commits a run that has ended. Once it trains, it leaves the group, so the
 * requests on its partitions, its own run's included, go to the trainers that are still free: a queued run never
 * waits behind a busy trainer while another is free, and the membership never has to survive hours of training
 * ({@code max.poll.interval.ms} cannot be exceeded). It joins again when its run ends. When a trainer dies, its
 * run's request is with a free trainer already (or goes to the next one that joins), which resumes the run once the
 * lease has expired.
 *
 * <p>A plain Kafka consumer rather than an {@code @Incoming} channel: it leaves and rejoins the group with the
 * trainer's state, pauses single partitions and commits a partition's request out of band when its run ends; the
 * connector offers none of this per record.
 */
public final class RunQueue implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RunQueue.class);

    private final KafkaConsumer<String, byte[]> consumer;
    private final RunManager runs;
    private final RunQueueConfig config;
    private final Thread thread;
    /** The request this member holds on each paused partition (only the consumer thread touches it). */
    private final Map<TopicPartition, ConsumerRecord<String, byte[]>> held = new LinkedHashMap<>();
    private volatile boolean closing;

    public RunQueue(String bootstrapServers, Map<String, ?> kafkaSettings, RunQueueConfig config,
            RunManager runs, String clientId) {
        this.runs = runs;
        this.config = config;
        Properties props = new Properties();
        props.putAll(kafkaSettings);
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, config.group());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // one request at a time: the rest stays in the topic for other members
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1");
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, String.valueOf(config.sessionTimeout().toMillis()));
        props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG,
                String.valueOf(Math.max(500, config.sessionTimeout().toMillis() / 3)));
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::loop, "run-queue");
        this.thread.setDaemon(true);
    }

    public RunQueue start() {
        thread.start();
        return this;
    }

    private void loop() {
        try {
            boolean member = false;
            long nextCheck = 0;
            while (!closing) {
                if (runs.busy()) {
                    if (member) {
                        // the requests held here (this run's too) go to the trainers that are free
                        consumer.unsubscribe();
                        held.clear();
                        member = false;
                        LOG.infof("training: left the run queue's group %s until the run ends", config.group());
                    }
                    Thread.sleep(config.checkInterval().toMillis());
                    continue;
                }
                if (!member) {
                    consumer.subscribe(List.of(config.topic()), rebalanceListener());
                    member = true;
                    nextCheck = 0;
                    LOG.infof("free: joined the run queue's group %s", config.group());
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(config.pollInterval())) {
                    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    consumer.pause(List.of(partition));
                    held.putIfAbsent(partition, record);
                    nextCheck = 0;
                }
                if (System.currentTimeMillis() >= nextCheck) {
                    checkHeld();
                    nextCheck = System.currentTimeMillis() + config.checkInterval().toMillis();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (WakeupException e) {
            if (!closing) {
                LOG.errorf(e, "run queue consumer woken unexpectedly");
            }
        } catch (RuntimeException e) {
            if (!closing) {
                LOG.errorf(e, "run queue consumer failed: this trainer takes no more runs");
            }
        } finally {
            consumer.close(Duration.ofSeconds(10));
        }
    }

    private ConsumerRebalanceListener rebalanceListener() {
        return new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                // the new holder commits these requests when their runs end
                partitions.forEach(held::remove);
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                LOG.debugf("run queue partitions assigned: %s", partitions);
            }
        };
    }

    private void checkHeld() {
        for (Map.Entry<TopicPartition, ConsumerRecord<String, byte[]>> entry : new HashMap<>(held).entrySet()) {
            ConsumerRecord<String, byte[]> record = entry.getValue();
            String runId = record.value() == null ? record.key() : new String(record.value(), StandardCharsets.UTF_8);
            RunManager.Take take = runs.take(runId);
            if (take == RunManager.Take.TRAINING_HERE) {
                return;
            }
            if (take == RunManager.Take.ENDED) {
                try {
                    consumer.commitSync(Map.of(entry.getKey(), new OffsetAndMetadata(record.offset() + 1)));
                    held.remove(entry.getKey());
                    consumer.resume(List.of(entry.getKey()));
                    LOG.infof("run %s has ended: its request (%s offset %d) is committed", runId, entry.getKey(),
                            record.offset());
                } catch (RuntimeException e) {
                    // e.g. a rebalance took the partition: its new holder commits it
                    LOG.infof("run %s: its request could not be committed here (%s)", runId, e.getMessage());
                }
            }
        }
    }

    /** Leaves the group: the requests held here go to the other trainers. */
    @Override
    public void close() {
        closing = true;
        consumer.wakeup();
        try {
            thread.join(15_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
