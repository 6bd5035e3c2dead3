package io.signstream.featurestream;

import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import io.signstream.contract.FeatureSampleCodec;
import io.signstream.contract.FeatureDerivations;
import io.signstream.contract.NormalizationStamps;
import io.signstream.contract.RejectionReason;
import io.signstream.contract.SampleRejectedException;
import io.signstream.contract.proto.FeatureSample;

/**
 * One pass over a split's topics, from the beginning to the end offsets captured when it opened. Samples are decoded
 * lazily, one at a time, so a pass over a large split holds only one poll's records in memory.
 */
public final class SamplePass implements Iterator<NormalizedSample>, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SamplePass.class);

    private final FeatureStream stream;
    private final PassRequest request;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Map<TopicPartition, Long> ends;
    private final Map<TopicPartition, Long> active = new LinkedHashMap<>();
    private final long started = System.nanoTime();

    private Iterator<ConsumerRecord<String, byte[]>> batch = Collections.emptyIterator();
    private NormalizedSample next;
    private boolean finished;
    private boolean closed;
    private boolean logged;
    private long lastProgress = System.nanoTime();

    private long read;
    private long kept;
    private long duplicates;
    private long otherSplits;
    private final Map<String, Long> refused = new HashMap<>();
    private final Map<String, Long> stamps = new HashMap<>();
    private final Map<String, Long> derivations = new HashMap<>();

    /**
     * Told what became of each record the pass reads within its offset range, in the order they are read (per
     * partition: offset order), as they are read; a kept sample before it is handed out.
     */
    interface Observer {

        void seen(TopicPartition partition, long offset, Seen seen);
    }

    /** What a pass made of a record of its split. */
    enum Outcome {
        /** refused before its sample id was known (the header does not decode): never superseded */
        UNIDENTIFIED,
        OTHER_SPLIT,
        /** a later record of the same sample id exists */
        SUPERSEDED,
        /** the latest record of its id, refused ({@code reason}) */
        REFUSED,
        /** the latest record of its id, handed out ({@code sample}) */
        KEPT
    }

    /**
     * @param id null for {@link Outcome#UNIDENTIFIED} and {@link Outcome#OTHER_SPLIT}
     * @param stamp, derivation what the record counted in {@link PassSummary#stamps()} and
     *        {@link PassSummary#derivations()}; null when it was not decoded
     */
    record Seen(Outcome outcome, String id, FeatureStream.Position position, String reason, String stamp,
            String derivation, NormalizedSample sample) {
    }

    private final Observer observer;

    SamplePass(FeatureStream stream, PassRequest request, List<TopicPartition> partitions,
            Map<TopicPartition, Long> starts, Map<TopicPartition, Long> ends, Observer observer) {
        this.stream = stream;
        this.request = request;
        this.consumer = stream.consumer();
        this.ends = Map.copyOf(ends);
        this.observer = observer;
        for (TopicPartition tp : partitions) {
            long begin = starts.getOrDefault(tp, 0L);
            if (begin < ends.getOrDefault(tp, 0L)) {
                active.put(tp, begin);
            }
        }
        consumer.assign(active.keySet());
        active.forEach(consumer::seek);
        finished = active.isEmpty();
    }

    public PassRequest request() {
        return request;
    }

    /** The topics this pass reads, e.g. {@code features.normalized.dev+features.normalized}. */
    public String topics() {
        return stream.config().topics().describe(request.split());
    }

    @Override
    public boolean hasNext() {
        while (next == null) {
            if (batch.hasNext()) {
                next = handle(batch.next());
            } else if (finished || closed) {
                // a pass read for a cache is logged by the cache, with what it served itself
                if (finished && !logged && observer == null) {
                    logged = true;
                    LOG.infof("%s in %d ms", summary(), (System.nanoTime() - started) / 1_000_000);
                }
                return false;
            } else {
                pollOnce();
            }
        }
        return true;
    }

    @Override
    public NormalizedSample next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the pass over " + topics() + " has ended");
        }
        NormalizedSample sample = next;
        next = null;
        return sample;
    }

    /** The rest of the pass as a sequential stream; closing the stream closes the pass. */
    public Stream<NormalizedSample> stream() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(this, Spliterator.ORDERED | Spliterator.NONNULL),
                false).onClose(this::close);
    }

    /** True once every partition reached its captured end offset and every record read was handed out or skipped. */
    public boolean isFinished() {
        return finished && next == null && !batch.hasNext();
    }

    boolean isClosed() {
        return closed;
    }

    /** The end offsets captured when the pass opened. */
    Map<TopicPartition, Long> ends() {
        return ends;
    }

    /** The counts so far; final once {@link #isFinished()}. */
    public PassSummary summary() {
        Map<String, Long> endOffsets = new LinkedHashMap<>();
        ends.forEach((tp, offset) -> endOffsets.put(tp.toString(), offset));
        return new PassSummary(request.split(), read, kept, refused, duplicates, otherSplits, stamps, derivations,
                endOffsets);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            batch = Collections.emptyIterator();
            next = null;
            consumer.unsubscribe();
        }
    }

    private void pollOnce() {
        var records = consumer.poll(stream.pollInterval());
        if (!records.isEmpty()) {
            lastProgress = System.nanoTime();
        }
        batch = records.iterator();
        for (TopicPartition tp : List.copyOf(active.keySet())) {
            if (consumer.position(tp) >= ends.get(tp)) {
                active.remove(tp);
                consumer.pause(List.of(tp));
            }
        }
        if (active.isEmpty()) {
            finished = true;
        } else if (records.isEmpty()) {
            stream.checkStall(lastProgress, "reading");
        }
    }

    /** The sample to hand out, or null when the record is skipped or refused. */
    private NormalizedSample handle(ConsumerRecord<String, byte[]> record) {
        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
        Long end = ends.get(tp);
        if (end == null || record.offset() >= end) {
            return null;
        }
        read++;
        Seen seen = classify(record);
        if (observer != null) {
            observer.seen(tp, record.offset(), seen);
        }
        return seen.sample();
    }

    private Seen classify(ConsumerRecord<String, byte[]> record) {
        String where = record.topic() + "-" + record.partition() + "@" + record.offset();
        var header = SampleHeader.parse(record.value());
        if (header.isEmpty()) {
            String reason = refuse(RejectionReason.UNDECODABLE.name(), record.key(), where,
                    "record value is not a signstream.v1.FeatureSample");
            return new Seen(Outcome.UNIDENTIFIED, null, null, reason, null, null, null);
        }
        if (header.get().split() != request.split()) {
            otherSplits++;
            return new Seen(Outcome.OTHER_SPLIT, null, null, null, null, null, null);
        }
        String id = header.get().id();
        var position = new FeatureStream.Position(record.topic(), record.partition(), record.offset(),
                record.timestamp());
        if (!stream.isLatest(id, position)) {
            duplicates++;
            LOG.debugf("sample %s at %s is superseded by a later record with the same id", id, where);
            return new Seen(Outcome.SUPERSEDED, id, position, null, null, null, null);
        }
        FeatureSample sample;
        try {
            sample = FeatureSampleCodec.decodeSharing(record.value());
        } catch (SampleRejectedException e) {
            return refused(id, position, refuse(e.reason().name(), id, where, e.detail()), null, null);
        }
        String stamp = NormalizationStamps.describe(sample);
        String derivation = FeatureDerivations.arithmetic(sample);
        stamps.merge(stamp, 1L, Long::sum);
        derivations.merge(derivation, 1L, Long::sum);
        if (!NormalizationStamps.isNormalized(sample)) {
            return refused(id, position, refuse(RejectionReason.NOT_NORMALIZED.name(), id, where,
                    "the record carries no NORMALIZED stamp: only normalization-service output may be used"),
                    stamp, derivation);
        }
        if (request.expectedNormalization().isPresent() && !request.expectedNormalization().get().equals(stamp)) {
            return refused(id, position, refuse(Refusal.NORMALIZATION_MISMATCH, id, where, "normalized with "
                    + stamp + ", expected " + request.expectedNormalization().get()), stamp, derivation);
        }
        float[] values;
        try {
            values = stream.validator().validate(sample);
        } catch (SampleRejectedException e) {
            return refused(id, position, refuse(e.reason().name(), id, where, e.detail()), stamp, derivation);
        }
        kept++;
        NormalizedSample kept = new NormalizedSample(sample.getSampleId(), sample.getSplit(),
                sample.getGlossesList(), sample.getFrameCount(), values, sample.getNormalization());
        return new Seen(Outcome.KEPT, id, position, null, stamp, derivation, kept);
    }

    private static Seen refused(String id, FeatureStream.Position position, String reason, String stamp,
            String derivation) {
        return new Seen(Outcome.REFUSED, id, position, reason, stamp, derivation, null);
    }

    /** Counts and logs a refusal; returns the reason. */
    private String refuse(String reason, String id, String where, String detail) {
        refused.merge(reason, 1L, Long::sum);
        LOG.warnf("refused sample %s (%s) from the %s pass: %s: %s", id, where, request.split(), reason, detail);
        return reason;
    }
}
