package io.signstream.ingest.domain;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.annotation.JsonInclude;

/** State of one bulk import; updated by its worker thread, read by REST callers at any time. */
public final class ImportJob {

    public enum Status {
        /** Waiting for a free import worker. */
        QUEUED,
        RUNNING,
        /** Every sample was published or refused. */
        COMPLETED,
        /** Stopped early (the broker stopped acknowledging, or an error such as running out of memory); see {@code failure}. */
        FAILED,
        /**
         * Its instance stopped (shut down, or died: no heartbeat within the lease) before it finished; the counts and
         * lists are those the instance last wrote to {@code ingest.imports}. It is not resumed: POST the import again
         * (downstream keeps one record per sample id).
         */
        INTERRUPTED;

        public boolean isFinished() {
            return this == COMPLETED || this == FAILED || this == INTERRUPTED;
        }
    }

    public record AcceptedEntry(String sampleId, String split, int partition, long offset) {
    }

    /** {@code reason} is a {@link io.signstream.contract.RejectionReason} or an {@link ImportRefusal} name. */
    public record RefusedEntry(String split, int line, String sampleId, String reason, String detail) {
    }

    public record SplitCounts(int total, int published, int refused) {
    }

    /**
     * The JSON answer of {@code GET /imports/{id}}, and the job's record on {@code ingest.imports}; the two lists are
     * left out of listings. {@code owner}: the ingest instance that runs the job.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record View(String id, String directory, List<String> splits, Status status, String createdAt,
            String startedAt, String finishedAt, int total, int processed, int published, int refused,
            double progress, Double samplesPerSecond, Long etaSeconds, Map<String, SplitCounts> perSplit,
            String failure, List<AcceptedEntry> acceptedSamples, List<RefusedEntry> refusedSamples, String owner) {

        /** Without the per-sample lists (listings). */
        public View summary() {
            return new View(id, directory, splits, status, createdAt, startedAt, finishedAt, total, processed,
                    published, refused, progress, samplesPerSecond, etaSeconds, perSplit, failure, null, null, owner);
        }

        /** The same counts and lists, ended as INTERRUPTED for the given reason. */
        public View interrupted(String why, String at) {
            return new View(id, directory, splits, Status.INTERRUPTED, createdAt, startedAt, at, total, processed,
                    published, refused, progress, samplesPerSecond, null, perSplit, why + "; " + published
                            + " samples were published, " + refused + " refused, " + (total - processed)
                            + " were not processed", acceptedSamples, refusedSamples, owner);
        }
    }

    private static final class Counts {
        final int total;
        final AtomicInteger published = new AtomicInteger();
        final AtomicInteger refused = new AtomicInteger();

        Counts(int total) {
            this.total = total;
        }
    }

    private final String id;
    private final String owner;
    private final Path directory;
    private final Instant createdAt = Instant.now();
    private final Map<String, Counts> perSplit = new LinkedHashMap<>();
    private final int total;
    private final List<AcceptedEntry> accepted = Collections.synchronizedList(new ArrayList<>());
    private final List<RefusedEntry> refused = Collections.synchronizedList(new ArrayList<>());
    private volatile Status status = Status.QUEUED;
    private volatile Instant startedAt;
    private volatile Instant finishedAt;
    private volatile String failure;

    public ImportJob(String id, String owner, Path directory, Map<String, Integer> samplesPerSplit) {
        this.id = id;
        this.owner = owner;
        this.directory = directory;
        samplesPerSplit.forEach((split, count) -> perSplit.put(split, new Counts(count)));
        this.total = samplesPerSplit.values().stream().mapToInt(Integer::intValue).sum();
    }

    public String id() {
        return id;
    }

    public Path directory() {
        return directory;
    }

    public Status status() {
        return status;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public int total() {
        return total;
    }

    public int processed() {
        return published() + refusedCount();
    }

    public int published() {
        return perSplit.values().stream().mapToInt(c -> c.published.get()).sum();
    }

    public int refusedCount() {
        return perSplit.values().stream().mapToInt(c -> c.refused.get()).sum();
    }

    void started() {
        startedAt = Instant.now();
        status = Status.RUNNING;
    }

    void accepted(AcceptedEntry entry) {
        accepted.add(entry);
        perSplit.get(entry.split()).published.incrementAndGet();
    }

    void refused(RefusedEntry entry) {
        refused.add(entry);
        perSplit.get(entry.split()).refused.incrementAndGet();
    }

    void completed() {
        finishedAt = Instant.now();
        status = Status.COMPLETED;
    }

    /** Its instance is stopping: ended with the counts it has (every sample sent was awaited). */
    void interrupted(String why) {
        failure = why;
        finishedAt = Instant.now();
        status = Status.INTERRUPTED;
    }

    void failed(String why) {
        failure = why;
        finishedAt = Instant.now();
        status = Status.FAILED;
    }

    /** Samples per second since the job started, or null before it did. */
    public Double rate() {
        Instant start = startedAt;
        if (start == null) {
            return null;
        }
        Instant end = finishedAt != null ? finishedAt : Instant.now();
        double seconds = Math.max(Duration.between(start, end).toNanos() / 1e9, 1e-3);
        return processed() / seconds;
    }

    public Long etaSeconds() {
        Double rate = rate();
        if (status != Status.RUNNING || rate == null || rate <= 0) {
            return null;
        }
        return Math.round((total - processed()) / rate);
    }

    public View view(boolean withSamples) {
        Map<String, SplitCounts> counts = new LinkedHashMap<>();
        perSplit.forEach((split, c) -> counts.put(split, new SplitCounts(c.total, c.published.get(), c.refused.get())));
        int processed = processed();
        Double rate = rate();
        List<AcceptedEntry> acceptedCopy = null;
        List<RefusedEntry> refusedCopy = null;
        if (withSamples) {
            synchronized (accepted) {
                acceptedCopy = List.copyOf(accepted);
            }
            synchronized (refused) {
                refusedCopy = List.copyOf(refused);
            }
        }
        return new View(id, directory.toString(), List.copyOf(perSplit.keySet()), status, createdAt.toString(),
                startedAt == null ? null : startedAt.toString(), finishedAt == null ? null : finishedAt.toString(),
                total, processed, published(), refusedCount(), total == 0 ? 1.0 : (double) processed / total,
                rate == null ? null : Math.round(rate * 100) / 100.0, etaSeconds(), counts, failure,
                acceptedCopy, refusedCopy, owner);
    }
}
