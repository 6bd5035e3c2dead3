package io.signstream.featurestream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import io.signstream.contract.SampleValidator;
import io.signstream.contract.proto.Split;

/**
 * The normalized topics read as a dataset: a pass over one split assigns every partition of that split's topic
 * (and of the legacy all-splits topic, if configured: {@link SplitTopics}) and nothing else, starts at the beginning
 * and stops at the end offsets captured when it opened, so a pass ends while producers keep writing and the next
 * pass sees the same data plus whatever arrived since (Kafka is the replayable dataset).
 * <p>
 * A pass hands out only records of the requested split that decode, pass {@link SampleValidator}, are stamped
 * NORMALIZED and, when the request names one, carry the expected normalization arithmetic; every other record of
 * the split is refused, counted by reason and logged with its id. When a sample id was published more than once,
 * only its latest record counts (the earlier ones are counted as duplicates): to know which one is latest before
 * handing anything out, each pass first indexes sample ids of the part of its topics it has not indexed yet, reading
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
    /**
     * One index per split, of the topics that split's passes read: which record of an id is latest never depends on
     * what passes over other splits happened to index before (in one shared topic every split's index holds every
     * record, so an id re-published into another split still leaves its former split, as it always did).
     */
    private final Map<Split, Index> indexes = new java.util.EnumMap<>(Split.class);
    /** The index of the pass being opened or read. */
    private Index index;
    private SamplePass openPass;
    /** The topics of the pass being opened or read, for messages. */
    private String reading = "";

    /** Sample id to where its latest record lies, for the offsets indexed so far. */
    private static final class Index {
        final Map<String, Position> latest = new HashMap<>();
        final Map<TopicPartition, Long> indexedUpTo = new HashMap<>();
    }

    /**
     * Where a record lies; the latest of two records with one id is the later offset, or across partitions (and
     * topics: a sample re-normalized from the legacy topic into its split's topic) the later timestamp.
     */
    record Position(String topic, int partition, long offset, long timestamp) {

        boolean isAfter(Position other) {
            if (partition == other.partition && topic.equals(other.topic)) {
                return offset > other.offset;
            }
            if (timestamp != other.timestamp) {
                return timestamp > other.timestamp;
            }
            int byTopic = topic.compareTo(other.topic);
            return byTopic != 0 ? byTopic > 0 : partition > other.partition;
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
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "feature-stream-" + INSTANCES.incrementAndGet());
        // a missing topic is an error (or, for the legacy topic, skipped): never created by asking for it
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
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
        return open(request, PassOffsets::beginnings, null);
    }

    /**
     * Starts a pass.
     *
     * @param request which records are handed out
     * @param startAt where each partition's reading starts, decided once the offsets are captured and the index is up
     *        to date ({@link #isLatest} answers for every record up to the end offsets); a partition it leaves out
     *        starts at its beginning
     * @param observer told what became of every record the pass reads (null: nobody)
     */
    SamplePass open(PassRequest request, Function<PassOffsets, Map<TopicPartition, Long>> startAt,
            SamplePass.Observer observer) {
        if (openPass != null && !openPass.isClosed()) {
            throw new IllegalStateException("a pass over " + reading + " is still open: close it first");
        }
        reading = config.topics().describe(request.split());
        index = indexes.computeIfAbsent(request.split(), split -> new Index());
        List<TopicPartition> partitions = partitions(request.split());
        // assigned while listing offsets: read_committed offset answers are only taken for assigned partitions
        consumer.assign(partitions);
        Map<TopicPartition, Long> ends = new LinkedHashMap<>(consumer.endOffsets(partitions, METADATA_TIMEOUT));
        Map<TopicPartition, Long> beginnings = consumer.beginningOffsets(partitions, METADATA_TIMEOUT);
        indexUpTo(beginnings, ends);
        Map<TopicPartition, Long> starts = new HashMap<>(beginnings);
        starts.putAll(startAt.apply(new PassOffsets(List.copyOf(partitions), Map.copyOf(beginnings),
                Map.copyOf(ends))));
        openPass = new SamplePass(this, request, partitions, starts, ends, observer);
        return openPass;
    }

    /** The partitions of a pass with the offsets captured when it opened. */
    record PassOffsets(List<TopicPartition> partitions, Map<TopicPartition, Long> beginnings,
            Map<TopicPartition, Long> ends) {
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
        Position newest = index.latest.get(id);
        return newest == null || newest.equals(position) || position.isAfter(newest);
    }

    /** Every partition of the split's topics: the split's own topic must exist, the legacy one may not (any more). */
    private List<TopicPartition> partitions(Split split) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : config.topics().forSplit(split)) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, METADATA_TIMEOUT);
            if (infos == null || infos.isEmpty()) {
                if (config.topics().isLegacy(topic)) {
                    LOG.debugf("legacy topic %s does not exist on %s: the %s pass reads its own topic only", topic,
                            config.bootstrapServers(), split);
                    continue;
                }
                throw new FeatureStreamException("topic " + topic + " has no partitions: does it exist on "
                        + config.bootstrapServers() + "?");
            }
            infos.stream().map(p -> new TopicPartition(p.topic(), p.partition()))
                    .sorted(java.util.Comparator.comparingInt(TopicPartition::partition)).forEach(partitions::add);
        }
        return partitions;
    }

    /** Reads the headers of the records between what was indexed before and the captured end offsets. */
    private void indexUpTo(Map<TopicPartition, Long> beginnings, Map<TopicPartition, Long> ends) {
        Map<TopicPartition, Long> todo = new LinkedHashMap<>();
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            TopicPartition tp = end.getKey();
            long from = Math.max(index.indexedUpTo.getOrDefault(tp, 0L), beginnings.getOrDefault(tp, 0L));
            if (from < end.getValue()) {
                todo.put(tp, from);
            } else {
                index.indexedUpTo.put(tp, end.getValue());
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
                    Position position = new Position(record.topic(), record.partition(), record.offset(),
                            record.timestamp());
                    index.latest.merge(header.id(), position, (old, now) -> now.isAfter(old) ? now : old);
                });
            }
            for (TopicPartition tp : List.copyOf(todo.keySet())) {
                if (consumer.position(tp) >= ends.get(tp)) {
                    todo.remove(tp);
                    index.indexedUpTo.put(tp, ends.get(tp));
                    consumer.pause(List.of(tp));
                }
            }
            checkStall(lastProgress, "indexing");
        }
        consumer.resume(consumer.paused());
        LOG.debugf("indexed %d records of %s in %d ms (%d sample ids known)", indexed, reading,
                (System.nanoTime() - started) / 1_000_000, index.latest.size());
    }

    void checkStall(long lastProgressNanos, String phase) {
        if (System.nanoTime() - lastProgressNanos > config.stallTimeout().toNanos()) {
            throw new FeatureStreamException(phase + " " + reading + " made no progress for "
                    + config.stallTimeout().toSeconds() + " s although records up to the captured end offsets are due");
        }
    }
}
