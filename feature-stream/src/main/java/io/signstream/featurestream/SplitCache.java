package io.signstream.featurestream;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import io.signstream.contract.proto.NormalizationStamp;
import io.signstream.contract.proto.Split;

/**
 * A bounded local copy of what passes over one split read, so that pass after pass (a trainer's epochs) reads the
 * broker only for records that arrived since the previous pass.
 * <p>
 * Every pass still starts on the broker: it captures the end offsets and indexes new records' headers as an uncached
 * pass does ({@link FeatureStream}). The cache then serves what it holds, the records up to the offsets it covers
 * per partition, and the pass reads the broker from there to the new end offsets, adding what it reads to the cache
 * while there is room. Kept samples' features lie in one file, float32 as decoded and validated; refusals, other
 * splits' records and superseded records are remembered as counts and ids, so a cached pass hands out exactly the
 * samples and reports the same {@link PassSummary} an uncached pass over the same offsets would. A cached sample whose
 * id was re-published since is superseded by the new record, as on the broker.
 * <p>
 * The cache starts over (reads the whole split again) when it cannot be sure it matches the topic: another request,
 * other partitions, a partition's beginning offset moved past what it holds (retention deleted records), or an end
 * offset below what it covers (the topic was re-created smaller). Not noticed: a topic deleted and re-created with at
 * least as many records during the cache's life; compaction removing superseded records (the counts of superseded
 * records still include them).
 * <p>
 * Bounded: at most {@link Settings#maxBytes()} of features on disk, and never more than the directory's file system
 * has free (minus {@value #RESERVE_BYTES} bytes) when the cache is made; once a sample does not fit, the cache stops
 * growing and later passes read the rest from the broker. The directory {@code root/<pid>/<name>-<n>} is deleted by
 * {@link #close()}; directories that dead processes (or an earlier process with this pid: a restarted container)
 * left behind under the root are deleted when this process makes its first cache there.
 * <p>
 * Not thread-safe: one pass at a time, on the thread that uses its {@link FeatureStream}.
 */
public final class SplitCache implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SplitCache.class);
    static final long RESERVE_BYTES = 512L * 1024 * 1024;
    private static final Set<Path> CLEANED_ROOTS = ConcurrentHashMap.newKeySet();
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    /**
     * @param root where caches live (each process under its own {@code <pid>} folder)
     * @param maxBytes the most bytes of features one cache keeps; 0 = no cache (every pass reads the broker)
     */
    public record Settings(Path root, long maxBytes) {

        public Settings {
            if (maxBytes < 0) {
                throw new IllegalArgumentException("the cache's size bound must not be negative: " + maxBytes);
            }
            if (maxBytes > 0 && root == null) {
                throw new IllegalArgumentException("a cache needs a directory");
            }
        }

        public static Settings off() {
            return new Settings(null, 0);
        }

        public boolean enabled() {
            return maxBytes > 0;
        }
    }

    /** What the cache holds now. */
    public record Stats(long samples, long bytes, long limitBytes, boolean growing, String stoppedBecause) {
    }

    /** The latest record of an id in the covered range: kept (features at {@code fileOffset}) or refused. */
    record Entry(String id, FeatureStream.Position position, String reason, String stamp, String derivation,
            Split split, List<String> glosses, int frames, NormalizationStamp normalization, long fileOffset) {

        boolean kept() {
            return reason == null;
        }
    }

    /** The counts of the covered range that no entry carries. */
    record Counts(long read, long otherSplits, long duplicates, Map<String, Long> unidentified) {
    }

    private final FeatureStream stream;
    private final Path directory;
    private final long limit;

    private FileChannel file;
    private ByteBuffer buffer = ByteBuffer.allocateDirect(0).order(ByteOrder.LITTLE_ENDIAN);
    private boolean closed;

    // the cached range: valid for one request, reset when the topic no longer matches it
    private PassRequest request;
    private List<TopicPartition> partitions = List.of();
    private final Map<TopicPartition, Long> beginnings = new HashMap<>();
    private final Map<TopicPartition, Long> covered = new HashMap<>();
    private final List<Entry> entries = new ArrayList<>();
    private long read;
    private long otherSplits;
    private long duplicates;
    private final Map<String, Long> unidentified = new HashMap<>();
    private long bytes;
    private long keptSamples;
    private String stoppedBecause;

    public SplitCache(FeatureStream stream, Settings settings, String name) {
        this.stream = stream;
        if (!settings.enabled()) {
            directory = null;
            limit = 0;
            stoppedBecause = "no cache configured";
            return;
        }
        Path root = settings.root().toAbsolutePath().normalize();
        long bound = settings.maxBytes();
        Path dir = null;
        try {
            Files.createDirectories(root);
            removeLeftovers(root);
            dir = Files.createDirectories(root.resolve(String.valueOf(ProcessHandle.current().pid()))
                    .resolve(safe(name) + "-" + SEQUENCE.incrementAndGet()));
            long free = Files.getFileStore(dir).getUsableSpace() - RESERVE_BYTES;
            if (free < bound) {
                LOG.infof("the pass cache in %s keeps at most %d MB: the disk has %d MB free (bound %d MB)", dir,
                        Math.max(0, free) >> 20, (free + RESERVE_BYTES) >> 20, bound >> 20);
                bound = Math.max(0, free);
            }
        } catch (IOException e) {
            LOG.warnf("no pass cache under %s (%s): every pass reads the broker", root, e.toString());
            bound = 0;
        }
        directory = dir;
        limit = bound;
        if (limit == 0) {
            stoppedBecause = "no room on the disk";
        }
    }

    /** Starts a pass: what the cache holds, then the broker from where the cache ends. Close it before the next. */
    public CachedPass open(PassRequest request) {
        if (closed) {
            throw new IllegalStateException("the cache is closed");
        }
        CachedPass[] pass = new CachedPass[1];
        Recorder recorder = new Recorder();
        SamplePass broker = stream.open(request, offsets -> {
            Map<TopicPartition, Long> starts = prepare(request, offsets);
            recorder.recording = stoppedBecause == null;
            pass[0] = new CachedPass(this, request, List.copyOf(entries),
                    new Counts(read, otherSplits, duplicates, Map.copyOf(unidentified)));
            return starts;
        }, recorder);
        pass[0].reading(broker, recorder);
        return pass[0];
    }

    public Stats stats() {
        return new Stats(keptSamples, bytes, limit, stoppedBecause == null, stoppedBecause);
    }

    /** Deletes the cache's files. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        entries.clear();
        if (file != null) {
            try {
                file.close();
            } catch (IOException e) {
                LOG.debugf("closing %s: %s", directory, e);
            }
        }
        if (directory != null) {
            deleteTree(directory);
        }
    }

    /** Checks the cache against the pass's offsets (starting over if need be); returns where the broker read starts. */
    private Map<TopicPartition, Long> prepare(PassRequest next, FeatureStream.PassOffsets offsets) {
        String mismatch = mismatch(next, offsets);
        if (mismatch != null) {
            if (!covered.isEmpty()) {
                LOG.infof("the pass cache of %s starts over: %s", stream.config().topics().describe(next.split()),
                        mismatch);
            }
            reset(next, offsets);
        }
        // records re-published since the last pass supersede cached ones, exactly as on the broker
        entries.removeIf(entry -> {
            if (stream.isLatest(entry.id(), entry.position())) {
                return false;
            }
            duplicates++;
            if (entry.kept()) {
                keptSamples--;
            }
            return true;
        });
        Map<TopicPartition, Long> starts = new HashMap<>();
        for (TopicPartition tp : offsets.partitions()) {
            long beginning = offsets.beginnings().getOrDefault(tp, 0L);
            starts.put(tp, Math.max(beginning, covered.getOrDefault(tp, beginning)));
        }
        return starts;
    }

    /** Why the cached range cannot be trusted for this pass, or null. */
    private String mismatch(PassRequest next, FeatureStream.PassOffsets offsets) {
        if (!next.equals(request)) {
            return "another request (" + next + ")";
        }
        if (!Set.copyOf(partitions).equals(Set.copyOf(offsets.partitions()))) {
            return "the partitions changed from " + partitions + " to " + offsets.partitions();
        }
        for (Map.Entry<TopicPartition, Long> cover : covered.entrySet()) {
            TopicPartition tp = cover.getKey();
            if (offsets.beginnings().getOrDefault(tp, 0L) > beginnings.getOrDefault(tp, 0L)) {
                return tp + " begins at " + offsets.beginnings().get(tp) + " now, " + beginnings.get(tp)
                        + " before: records the cache holds were deleted";
            }
            if (offsets.ends().getOrDefault(tp, 0L) < cover.getValue()) {
                return tp + " ends at " + offsets.ends().get(tp) + ", below the " + cover.getValue()
                        + " the cache holds: was the topic re-created?";
            }
        }
        return null;
    }

    private void reset(PassRequest next, FeatureStream.PassOffsets offsets) {
        request = next;
        partitions = List.copyOf(offsets.partitions());
        beginnings.clear();
        beginnings.putAll(offsets.beginnings());
        covered.clear();
        entries.clear();
        read = 0;
        otherSplits = 0;
        duplicates = 0;
        unidentified.clear();
        bytes = 0;
        keptSamples = 0;
        if (limit > 0) {
            stoppedBecause = null;
        }
        if (file != null) {
            try {
                file.truncate(0);
            } catch (IOException e) {
                stop("the cache file cannot be truncated: " + e);
            }
        }
    }

    /** A pass's broker part read to its end offsets while recording: everything up to them is covered. */
    void coveredUpTo(Map<TopicPartition, Long> ends) {
        covered.putAll(ends);
    }

    /** The features of a cached sample, read back from the file. */
    NormalizedSample load(Entry entry) {
        int floats = entry.frames() * io.signstream.contract.FeatureLayout.DIMS;
        ByteBuffer in = buffer(floats);
        try {
            long at = entry.fileOffset();
            while (in.hasRemaining()) {
                if (file.read(in, at + in.position()) < 0) {
                    throw new IOException("the file ends before the sample's " + floats + " values");
                }
            }
        } catch (IOException e) {
            throw new FeatureStreamException("reading sample " + entry.id() + " back from the pass cache in "
                    + directory + " failed: " + e.getMessage(), e);
        }
        in.flip();
        float[] values = new float[floats];
        in.asFloatBuffer().get(values);
        return new NormalizedSample(entry.id(), entry.split(), entry.glosses(), entry.frames(), values,
                entry.normalization());
    }

    private void stop(String why) {
        if (stoppedBecause == null) {
            stoppedBecause = why;
            LOG.infof("the pass cache in %s stops growing at %d samples (%d MB): %s; later passes read the rest from "
                    + "the broker", directory, keptSamples, bytes >> 20, why);
        }
    }

    private ByteBuffer buffer(int floats) {
        long needed = 4L * floats;
        if (buffer.capacity() < needed) {
            buffer = ByteBuffer.allocateDirect((int) needed).order(ByteOrder.LITTLE_ENDIAN);
        }
        buffer.clear().limit((int) needed);
        return buffer;
    }

    /**
     * Writes a kept sample's features; returns where they start in the file, or -1 (and the cache stops growing) when
     * they do not fit or cannot be written.
     */
    private long store(NormalizedSample sample) {
        long size = 4L * sample.features().length;
        if (bytes + size > limit) {
            stop("the next sample would pass its bound of " + (limit >> 20) + " MB");
            return -1;
        }
        try {
            if (file == null) {
                file = FileChannel.open(directory.resolve("features.f32"), StandardOpenOption.CREATE,
                        StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            }
            ByteBuffer out = buffer(sample.features().length);
            out.asFloatBuffer().put(sample.features());
            long at = bytes;
            while (out.hasRemaining()) {
                file.write(out, at + out.position());
            }
            bytes += size;
            return at;
        } catch (IOException | UncheckedIOException e) {
            stop("writing to " + directory + " failed: " + e);
            return -1;
        }
    }

    /** Adds what a pass's broker part reads to the cache, record by record, while the cache may grow. */
    final class Recorder implements SamplePass.Observer {

        boolean recording;

        @Override
        public void seen(TopicPartition tp, long offset, SamplePass.Seen seen) {
            if (!recording || closed) {
                return;
            }
            switch (seen.outcome()) {
                case UNIDENTIFIED -> unidentified.merge(seen.reason(), 1L, Long::sum);
                case OTHER_SPLIT -> otherSplits++;
                case SUPERSEDED -> duplicates++;
                case REFUSED -> entries.add(new Entry(seen.id(), seen.position(), seen.reason(), seen.stamp(),
                        seen.derivation(), null, null, 0, null, -1));
                case KEPT -> {
                    long at = store(seen.sample());
                    if (at < 0) {
                        // covered stays below this record: the next pass reads it from the broker
                        recording = false;
                        return;
                    }
                    NormalizedSample sample = seen.sample();
                    entries.add(new Entry(seen.id(), seen.position(), null, seen.stamp(), seen.derivation(),
                            sample.split(), sample.glosses(), sample.frames(), sample.stamp(), at));
                    keptSamples++;
                }
            }
            read++;
            covered.put(tp, offset + 1);
        }
    }

    private static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /** Folders of processes that are gone, and of this pid before this process (a restarted container). */
    private static void removeLeftovers(Path root) throws IOException {
        if (!CLEANED_ROOTS.add(root)) {
            return;
        }
        long self = ProcessHandle.current().pid();
        try (var children = Files.list(root)) {
            for (Path child : children.toList()) {
                String name = child.getFileName().toString();
                if (!name.matches("\\d{1,18}") || !Files.isDirectory(child)) {
                    continue;
                }
                long pid = Long.parseLong(name);
                if (pid == self || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) == Boolean.FALSE) {
                    LOG.infof("removing the pass cache %s left by process %d", child, pid);
                    deleteTree(child);
                }
            }
        }
    }

    private static void deleteTree(Path directory) {
        try (var paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    LOG.warnf("could not delete %s: %s", path, e.toString());
                }
            });
        } catch (IOException e) {
            LOG.warnf("could not delete the pass cache %s: %s", directory, e.toString());
        }
    }
}
