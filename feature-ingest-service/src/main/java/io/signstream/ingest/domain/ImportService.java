package io.signstream.ingest.domain;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.signstream.contract.RejectionReason;
import io.signstream.contract.SampleRejectedException;
import io.signstream.contract.proto.FeatureSample;
import io.signstream.ingest.messaging.ImportStatePublisher;
import io.signstream.ingest.messaging.PublishFailedException;
import io.signstream.ingest.messaging.SamplePublisher;

/**
 * Bulk import of a PHOENIX-layout folder ({@link PhoenixCorpus}): every sample is validated before it is
 * sent, a refused sample (unreadable, malformed, larger than any valid sample, or failing in a way nobody foresaw)
 * is reported with its corpus line and reason and does not stop the rest. Only the broker not acknowledging ends
 * a job early (FAILED, with every sample already sent still counted).
 *
 * <p>Every change of a job's state (queued, started, at most every {@code state-interval} of progress, finished) is
 * written to the compacted topic {@code ingest.imports}, which every instance reads ({@link ImportStates}): a job is
 * seen from every replica and after a restart. A job whose instance stops before it ends is INTERRUPTED: written so by
 * the instance itself when it shuts down (exact counts), or, when it died, by any replica once its heartbeat is older
 * than the lease (the counts it last wrote). It is not resumed; the import can be POSTed again.
 */
@ApplicationScoped
public class ImportService {

    private static final Logger LOG = Logger.getLogger(ImportService.class);

    private final SampleAssembler assembler;
    private final SamplePublisher publisher;
    private final IngestMetrics metrics;
    private final Map<String, ImportJob> jobs = new ConcurrentHashMap<>();
    /** When each running job's state was last written to ingest.imports (nanoTime). */
    private final Map<String, Long> lastWritten = new ConcurrentHashMap<>();

    @Inject
    ImportStatePublisher states;
    @Inject
    ImportStates stored;
    @Inject
    IngestInstance instance;

    @ConfigProperty(name = "signstream.ingest.import.state-interval", defaultValue = "1s")
    java.time.Duration stateInterval;

    @ConfigProperty(name = "signstream.ingest.import.workers", defaultValue = "1")
    int workers;
    @ConfigProperty(name = "signstream.ingest.import.max-in-flight", defaultValue = "8")
    int maxInFlight;
    @ConfigProperty(name = "signstream.ingest.import.log-every", defaultValue = "100")
    int logEvery;
    @ConfigProperty(name = "signstream.ingest.import.keep-finished", defaultValue = "100")
    int keepFinished;
    @ConfigProperty(name = "signstream.ingest.import.root")
    Path configuredRoot;

    private ExecutorService executor;
    private ImportRoot importRoot;

    @Inject
    public ImportService(SampleAssembler assembler, SamplePublisher publisher, IngestMetrics metrics) {
        this.assembler = assembler;
        this.publisher = publisher;
        this.metrics = metrics;
    }

    @PostConstruct
    void start() {
        importRoot = ImportRoot.at(configuredRoot);
        LOG.infof("imports read datasets under %s", importRoot.path());
        AtomicInteger threads = new AtomicInteger();
        executor = Executors.newFixedThreadPool(Math.max(1, workers), runnable -> {
            Thread thread = new Thread(runnable, "import-worker-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * On shutdown, while the channels are still open (the connector closes them when the application context is
     * destroyed, after this event): the workers are stopped, every job that did not end is written INTERRUPTED with
     * its exact counts (this instance is its last word), and the instance's heartbeat is deleted.
     */
    void onShutdown(@Observes ShutdownEvent event) throws InterruptedException {
        executor.shutdownNow();
        executor.awaitTermination(10, TimeUnit.SECONDS);
        for (ImportJob job : jobs.values()) {
            if (job.status() == ImportJob.Status.INTERRUPTED) {
                // its worker ended it so (exact counts); written again, and this time awaited
                states.publishAndWait(job.view(true), java.time.Duration.ofSeconds(5));
            } else if (!job.status().isFinished()) {
                // its worker did not stop in time: the counts as they are now
                states.publishAndWait(job.view(true).interrupted("the ingest instance " + instance.id()
                        + " stopped before the import finished", java.time.Instant.now().toString()),
                        java.time.Duration.ofSeconds(5));
            }
        }
        instance.stop();
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }

    /**
     * Checks the folder and reads its corpus files now (so a wrong path or header is answered at once),
     * then queues the job.
     *
     * @param splits the splits to import; null or empty = every split that has a corpus file
     * @throws ImportRequestException when the import cannot start
     */
    public ImportJob start(String directory, List<String> splits) {
        Path folder = resolve(directory);
        List<String> chosen = chooseSplits(folder, splits);
        List<PhoenixCorpus.Corpus> corpora = new ArrayList<>();
        for (String split : chosen) {
            try {
                corpora.add(PhoenixCorpus.read(folder, split));
            } catch (CorpusFormatException e) {
                throw new ImportRequestException(ImportProblem.BAD_CORPUS_FILE, e.getMessage());
            }
        }
        Map<String, Integer> sizes = new LinkedHashMap<>();
        corpora.forEach(corpus -> sizes.put(corpus.split(), corpus.size()));
        ImportJob job = new ImportJob(UUID.randomUUID().toString(), instance.id(), folder, sizes);
        forgetOldFinishedJobs();
        jobs.put(job.id(), job);
        write(job);
        LOG.infof("import %s queued: %s, %s", job.id(), folder, sizes);
        executor.submit(() -> run(job, corpora));
        return job;
    }

    /** Finished jobs keep their per-sample lists in memory; only the newest {@code keep-finished} are kept. */
    private void forgetOldFinishedJobs() {
        List<ImportJob> finished = list().stream()
                .filter(job -> job.status() == ImportJob.Status.COMPLETED || job.status() == ImportJob.Status.FAILED)
                .toList();
        finished.stream().skip(Math.max(0, keepFinished)).forEach(job -> jobs.remove(job.id()));
    }

    /** A job of this instance (live), else as ingest.imports tells it (another replica's, or a previous life's). */
    public Optional<ImportJob.View> find(String id) {
        ImportJob mine = jobs.get(id);
        return mine != null ? Optional.of(mine.view(true)) : stored.find(id);
    }

    /** Every instance's jobs, newest first, without the per-sample lists. */
    public List<ImportJob.View> views() {
        Map<String, ImportJob.View> all = new LinkedHashMap<>();
        stored.all().forEach(view -> all.put(view.id(), view.summary()));
        jobs.values().forEach(job -> all.put(job.id(), job.view(false)));
        return all.values().stream().sorted(Comparator.comparing(ImportJob.View::createdAt).reversed()).toList();
    }

    /** This instance's jobs, newest first. */
    public List<ImportJob> list() {
        return jobs.values().stream().sorted(Comparator.comparing(ImportJob::createdAt).reversed()).toList();
    }

    /** Writes the job's state to ingest.imports (without waiting: the next state follows). */
    private void write(ImportJob job) {
        lastWritten.put(job.id(), System.nanoTime());
        states.publish(job.view(true));
    }

    private Path resolve(String directory) {
        if (directory == null || directory.isBlank()) {
            throw new ImportRequestException(ImportProblem.MISSING_DIRECTORY,
                    "give the dataset folder as {\"directory\": \"/path/to/phoenix\"}");
        }
        return importRoot.folder(directory);
    }

    private boolean isCorpusFile(Path path) {
        return importRoot.regularFile(path).isPresent();
    }

    private List<String> chooseSplits(Path folder, List<String> requested) {
        if (requested == null || requested.isEmpty()) {
            List<String> available = PhoenixCorpus.availableSplits(folder, this::isCorpusFile);
            if (available.isEmpty()) {
                throw new ImportRequestException(ImportProblem.NO_CORPUS_FILE, "directory " + folder
                        + " has no corpus file: expected train.corpus.csv, dev.corpus.csv or test.corpus.csv");
            }
            return available;
        }
        LinkedHashSet<String> chosen = new LinkedHashSet<>();
        for (String split : requested) {
            String name = split == null ? "" : split.trim().toLowerCase(Locale.ROOT);
            if (!PhoenixCorpus.SPLITS.contains(name)) {
                throw new ImportRequestException(ImportProblem.BAD_SPLIT,
                        "split '" + split + "' is not one of train, dev, test");
            }
            if (!isCorpusFile(PhoenixCorpus.corpusFile(folder, name))) {
                throw new ImportRequestException(ImportProblem.NO_CORPUS_FILE,
                        "split " + name + " has no corpus file " + PhoenixCorpus.corpusFile(folder, name));
            }
            chosen.add(name);
        }
        return List.copyOf(chosen);
    }

    private record InFlight(String split, int line, String sampleId, int featureBytes,
            CompletableFuture<RecordMetadata> acknowledged) {
    }

    private void run(ImportJob job, List<PhoenixCorpus.Corpus> corpora) {
        try {
            runAndReport(job, corpora);
        } finally {
            if (job.status().isFinished()) {
                write(job);
                lastWritten.remove(job.id());
            }
        }
    }

    private void runAndReport(ImportJob job, List<PhoenixCorpus.Corpus> corpora) {
        job.started();
        write(job);
        LOG.infof("import %s started: %d samples from %s", job.id(), job.total(), job.directory());
        Map<String, String> firstSeen = new HashMap<>();
        Deque<InFlight> inFlight = new ArrayDeque<>();
        try {
            for (PhoenixCorpus.Corpus corpus : corpora) {
                for (PhoenixCorpus.BadLine bad : corpus.badLines()) {
                    refuse(job, corpus.split(), bad.line(), null, ImportRefusal.BAD_CORPUS_LINE.name(), bad.detail());
                }
                for (PhoenixCorpus.Entry entry : corpus.entries()) {
                    if (Thread.currentThread().isInterrupted()) {
                        throw new Interrupted(null);
                    }
                    String where = corpus.split() + PhoenixCorpus.CORPUS_SUFFIX + " line " + entry.line();
                    String earlier = firstSeen.putIfAbsent(entry.id(), where);
                    if (earlier != null) {
                        refuse(job, corpus.split(), entry.line(), entry.id(), ImportRefusal.DUPLICATE_ID.name(),
                                "sample id " + entry.id() + " already appears at " + earlier + "; only the first is imported");
                        continue;
                    }
                    Optional<InFlight> sent = validateAndSend(job, corpus, entry);
                    if (sent.isPresent()) {
                        inFlight.addLast(sent.get());
                        while (inFlight.size() >= maxInFlight) {
                            settle(job, inFlight.removeFirst());
                        }
                    }
                }
            }
            while (!inFlight.isEmpty()) {
                settle(job, inFlight.removeFirst());
            }
            job.completed();
            logProgress(job, true);
        } catch (Interrupted e) {
            // The instance is stopping (shutdownNow): what was sent is awaited, so the counts stay exact, and the
            // job ends INTERRUPTED, not FAILED: nothing went wrong with it, it can be POSTed again.
            Thread.interrupted();
            if (e.pending != null) {
                settleQuietly(job, e.pending);
            }
            for (InFlight pending : inFlight) {
                settleQuietly(job, pending);
            }
            inFlight.clear();
            job.interrupted("the ingest instance " + instance.id() + " stopped before the import finished; "
                    + job.published() + " samples were published, " + job.refusedCount() + " refused, "
                    + (job.total() - job.processed()) + " were not processed");
            LOG.warnf("import %s interrupted: %s", job.id(), job.view(false).failure());
        } catch (PublishFailedException e) {
            fail(job, inFlight, e.getMessage(), null);
        } catch (RuntimeException | Error e) {
            // Even out of memory the job must not stay RUNNING with nothing said: it ends FAILED, logged, and the
            // samples already sent are counted (with -XX:+ExitOnOutOfMemoryError the process exits first).
            fail(job, inFlight, "unexpected error: " + e, e);
            if (e instanceof Error error && !(e instanceof OutOfMemoryError)) {
                throw error;
            }
        }
    }

    /**
     * Ends a job early with counts that stay true: the samples already handed to the broker are awaited, so
     * "published" counts every one that reached the topic, and the failure says how many were never tried.
     */
    private void fail(ImportJob job, Deque<InFlight> inFlight, String why, Throwable cause) {
        for (InFlight pending : inFlight) {
            settleQuietly(job, pending);
        }
        inFlight.clear();
        job.failed(why + "; " + job.published() + " samples were published, " + job.refusedCount() + " refused, "
                + (job.total() - job.processed()) + " were not processed");
        LOG.errorf(cause, "import %s failed: %s", job.id(), job.view(false).failure());
    }

    private Optional<InFlight> validateAndSend(ImportJob job, PhoenixCorpus.Corpus corpus, PhoenixCorpus.Entry entry) {
        Path folder = job.directory();
        SampleMetadata metadata = new SampleMetadata(entry.id(), SampleAssembler.parseSplit(corpus.split()),
                entry.annotation(), entry.signer(), null);
        try {
            assembler.checkMetadata(metadata);
            // Real paths under the root only: a link to a file outside counts as no file.
            Optional<Path> file = PhoenixCorpus.findFeatureFile(folder, corpus.split(), entry.id(),
                    importRoot::regularFile);
            if (file.isEmpty()) {
                refuse(job, corpus.split(), entry.line(), entry.id(), ImportRefusal.MISSING_FILE.name(),
                        "no feature file for " + entry.id() + ": looked for "
                                + PhoenixCorpus.candidates(folder, corpus.split(), entry.id()).stream()
                                        .map(path -> folder.relativize(path).toString()).toList());
                return Optional.empty();
            }
            byte[] bytes;
            try {
                // Measured before it is read: a file no valid sample can fill is refused at no heap cost.
                assembler.checkFileSize(entry.id(), Files.size(file.get()));
                bytes = ImportRoot.read(file.get(), assembler.maxFileBytes());
                assembler.checkFileSize(entry.id(), bytes.length);
            } catch (IOException e) {
                refuse(job, corpus.split(), entry.line(), entry.id(), ImportRefusal.UNREADABLE_FILE.name(),
                        "cannot read " + file.get() + ": " + e.getMessage());
                return Optional.empty();
            }
            String source = "import:" + folder.relativize(file.get());
            FeatureSample sample = assembler.assemble(new SampleMetadata(metadata.sampleId(), metadata.split(),
                    metadata.annotation(), metadata.signer(), source), bytes);
            return Optional.of(new InFlight(corpus.split(), entry.line(), entry.id(), sample.getFeatures().size(),
                    publisher.publishAsync(sample)));
        } catch (SampleRejectedException e) {
            refuse(job, corpus.split(), entry.line(), entry.id(), e.reason().name(), e.detail());
            return Optional.empty();
        } catch (PublishFailedException e) {
            throw e;
        } catch (RuntimeException e) {
            // A fault in reading or building this one sample is this sample's refusal, not the import's end.
            LOG.warnf(e, "import %s: sample %s failed unexpectedly", job.id(), entry.id());
            refuse(job, corpus.split(), entry.line(), entry.id(), RejectionReason.PROCESSING_FAILED.name(),
                    "unexpected error while reading or building the sample: " + e);
            return Optional.empty();
        }
    }

    /** Waits for one acknowledgement; a broker failure other than an oversized record stops the job. */
    /** The worker was interrupted (the instance stops); {@code pending}: the sample it was waiting for, if any. */
    private static final class Interrupted extends RuntimeException {
        final transient InFlight pending;

        Interrupted(InFlight pending) {
            super(null, null, false, false);
            this.pending = pending;
        }
    }

    private void settle(ImportJob job, InFlight pending) {
        try {
            RecordMetadata record;
            try {
                record = publisher.await(pending.sampleId(), pending.acknowledged());
            } catch (PublishFailedException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new Interrupted(pending);
                }
                throw e;
            }
            job.accepted(new ImportJob.AcceptedEntry(pending.sampleId(), pending.split(), record.partition(),
                    record.offset()));
            metrics.accepted(IngestMetrics.IMPORT, pending.featureBytes());
            progress(job);
        } catch (PublishFailedException e) {
            if (e.getCause() instanceof RecordTooLargeException) {
                refuse(job, pending.split(), pending.line(), pending.sampleId(), RejectionReason.TOO_LARGE.name(),
                        e.getMessage());
                return;
            }
            throw e;
        }
    }

    private void settleQuietly(ImportJob job, InFlight pending) {
        try {
            settle(job, pending);
        } catch (RuntimeException ignored) {
            // the job is failing already; this sample counts as not processed
        }
    }

    private void refuse(ImportJob job, String split, int line, String sampleId, String reason, String detail) {
        job.refused(new ImportJob.RefusedEntry(split, line, sampleId, reason, detail));
        metrics.refused(IngestMetrics.IMPORT, reason);
        LOG.debugf("import %s refused %s (%s line %d): %s: %s", job.id(), sampleId, split, line, reason, detail);
        progress(job);
    }

    private void progress(ImportJob job) {
        Long written = lastWritten.get(job.id());
        if (written == null || System.nanoTime() - written >= stateInterval.toNanos()) {
            write(job);
        }
        if (job.processed() % Math.max(1, logEvery) == 0) {
            logProgress(job, false);
        }
    }

    private void logProgress(ImportJob job, boolean last) {
        Double rate = job.rate();
        Long eta = job.etaSeconds();
        LOG.infof("import %s %s: %d/%d samples (%d published, %d refused), %.1f samples/s%s", job.id(),
                last ? "completed" : "progress", job.processed(), job.total(), job.published(), job.refusedCount(),
                rate == null ? 0.0 : rate, eta == null ? "" : String.format(Locale.ROOT, ", ETA %d s", eta));
    }
}
