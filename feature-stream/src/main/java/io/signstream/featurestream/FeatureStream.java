package io.signstream.featurestream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import io.signstream.contract.SampleValidator;

/**
 * {@code features.normalized} read as a dataset: each pass assigns every partition, starts at the beginning and
 * stops at the end offsets captured when it opened, so a pass ends while producers keep writing and the next
 * pass sees the same data plus whatever arrived since (Kafka is the replayable dataset).
 * <p>
 * A pass hands out only records of the requested split that decode, pass {@link SampleValidator}, are stamped
 * NORMALIZED and, when the request names one, carry the expected normalization arithmetic; every other record of
 * the split is refused, counted by reason and logged with its id. When a sample id was published more than once,
 * only its latest record counts (the earlier ones are counted as duplicates): to know which one is latest before
 * handing anything out, each pass first indexes sample ids of the part of the topic it has not indexed yet, reading
 * only the records' headers (the index is kept between passes, so epoch after epoch only new records are indexed).
 * <p>
 * Not thread-safe: one instance, one pass at a time (a Kafka consumer belongs to one thread). No consumer group,
 * no committed offsets: readers never disturb each other.
 */
public final class FeatureStream implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(FeatureStream.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);

    private static final java.util.concurrent.atomic.AtomicInteger INSTANCES = new java.util.concurrent.atomic.AtomicInteger();

    private final FeatureStreamConfig config;
    private final SampleValidator validator;
    private final KafkaConsumer<String, byte[]> consumer;
    /** Sample id to where its latest record lies, for the offsets indexed so far. */
    private final Map<String, Position> latest = new HashMap<>();
    private final Map<TopicPartition, Long> indexedUpTo = new HashMap<>();
    private SamplePass openPass;

    /** Where a record lies; the latest of two records with one id is the later offset, or across partitions the later timestamp. */
    record Position(int partition, long offset, long timestamp) {

        boolean isAfter(Position other) {
            if (partition == other.partition) {
                return offset > other.offset;
            }
            return timestamp != other.timestamp ? timestamp > other.timestamp : partition > other.partition;
        }
    }

    public FeatureStream(FeatureStreamConfig config) {
        this.config = config;
        this.validator = new SampleValidator(config.maxFrames());
        this.consumer = new KafkaConsumer<>(consumerProperties(config));
    }

    static Map<String, Object> consumerProperties(FeatureStreamConfig config) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "feature-stream-" + config.topic() + "-" + INSTANCES.incrementAndGet());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // Records of several MB are normal: one must always fit a fetch, and a poll must stay bounded in memory.
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, FeatureStreamConfig.MAX_MESSAGE_BYTES);
        props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 2 * FeatureStreamConfig.MAX_MESSAGE_BYTES);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.maxPollRecords());
        // a pass knows where it ends: waiting long for more data at the tail only delays its end
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        // A pass ends at the last stable offset: data of aborted or open transactions is never part of a dataset.
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.putAll(config.consumerOverrides());
        return props;
    }

    public FeatureStreamConfig config() {
        return config;
    }

    /**
     * Starts a pass: captures the end offsets, indexes what is new, and returns an iterator over the kept samples.
     * Close it (or read it to the end) before opening the next one.
     */
    public SamplePass open(PassRequest request) {
        if (openPass != null && !openPass.isClosed()) {
            throw new IllegalStateException("a pass over " + config.topic() + " is still open: close it first");
        }
        List<TopicPartition> partitions = partitions();
        // assigned while listing offsets: read_committed offset answers are only taken for assigned partitions
        consumer.assign(partitions);
        Map<TopicPartition, Long> ends = new LinkedHashMap<>(consumer.endOffsets(partitions, METADATA_TIMEOUT));
        Map<TopicPartition, Long> beginnings = consumer.beginningOffsets(partitions, METADATA_TIMEOUT);
        index(beginnings, ends);
        openPass = new SamplePass(this, request, partitions, beginnings, ends);
        return openPass;
    }

    /** One pass, each kept sample handed to {@code sink} in topic order per partition. */
    public PassSummary forEach(PassRequest request, Consumer<NormalizedSample> sink) {
        try (SamplePass pass = open(request)) {
            pass.forEachRemaining(sink);
            return pass.summary();
        }
    }

    /** One pass collected in memory. */
    public PassResult readAll(PassRequest request) {
        List<NormalizedSample> samples = new ArrayList<>();
        PassSummary summary = forEach(request, samples::add);
        return new PassResult(samples, summary);
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }

    KafkaConsumer<String, byte[]> consumer() {
        return consumer;
    }

    SampleValidator validator() {
        return validator;
    }

    Duration pollInterval() {
        return POLL;
    }

    /** True when the record at this position is the latest one of its sample id (or the id was never indexed). */
    boolean isLatest(String id, Position position) {
        Position newest = latest.get(id);
        return newest == null || newest.equals(position) || position.isAfter(newest);
    }

    private List<TopicPartition> partitions() {
        List<PartitionInfo> infos = consumer.partitionsFor(config.topic(), METADATA_TIMEOUT);
        if (infos == null || infos.isEmpty()) {
            throw new FeatureStreamException("topic " + config.topic() + " has no partitions: does it exist on "
                    + config.bootstrapServers() + "?");
        }
        return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition()))
                .sorted(java.util.Comparator.comparingInt(TopicPartition::partition)).toList();
    }

    /** Reads the headers of the records between what was indexed before and the captured end offsets. */
    private void index(Map<TopicPartition, Long> beginnings, Map<TopicPartition, Long> ends) {
        Map<TopicPartition, Long> todo = new LinkedHashMap<>();
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            TopicPartition tp = end.getKey();
            long from = Math.max(indexedUpTo.getOrDefault(tp, 0L), beginnings.getOrDefault(tp, 0L));
            if (from < end.getValue()) {
                todo.put(tp, from);
            } else {
                indexedUpTo.put(tp, end.getValue());
            }
        }
        if (todo.isEmpty()) {
            return;
        }
        long started = System.nanoTime();
        long indexed = 0;
        consumer.assign(todo.keySet());
        todo.forEach(consumer::seek);
        long lastProgress = System.nanoTime();
        while (!todo.isEmpty()) {
            var records = consumer.poll(POLL);
            if (!records.isEmpty()) {
                lastProgress = System.nanoTime();
            }
            for (ConsumerRecord<String, byte[]> record : records) {
                TopicPartition tp = new TopicPartition(record.topic(), record.partition());
                if (!todo.containsKey(tp) || record.offset() >= ends.get(tp)) {
                    continue;
                }
                indexed++;
                SampleHeader.parse(record.value()).ifPresent(header -> {
                    Position position = new Position(record.partition(), record.offset(), record.timestamp());
                    latest.merge(header.id(), position, (old, now) -> now.isAfter(old) ? now : old);
                });
            }
            for (TopicPartition tp : List.copyOf(todo.keySet())) {
                if (consumer.position(tp) >= ends.get(tp)) {
                    todo.remove(tp);
                    indexedUpTo.put(tp, ends.get(tp));
                    consumer.pause(List.of(tp));
                }
            }
            checkStall(lastProgress, "indexing");
        }
        consumer.resume(consumer.paused());
        LOG.debugf("indexed %d records of %s in %d ms (%d sample ids known)", indexed, config.topic(),
                (System.nanoTime() - started) / 1_000_000, latest.size());
    }

    void checkStall(long lastProgressNanos, String phase) {
        if (System.nanoTime() - lastProgressNanos > config.stallTimeout().toNanos()) {
            throw new FeatureStreamException(phase + " " + config.topic() + " made no progress for "
                    + config.stallTimeout().toSeconds() + " s although records up to the captured end offsets are due");
        }
    }
}
