package io.signstream.evaluator.domain;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.signstream.checkpoint.CheckpointDamage;
import io.signstream.checkpoint.CheckpointException;
import io.signstream.checkpoint.CheckpointIntegrityException;
import io.signstream.checkpoint.CheckpointManifest;
import io.signstream.checkpoint.CheckpointRef;
import io.signstream.checkpoint.CheckpointStore;
import io.signstream.checkpoint.IntactCheckpoint;
import io.signstream.contract.proto.Split;
import io.signstream.evaluator.messaging.EvaluationResultsPublisher;
import io.signstream.evaluator.messaging.TrainingEventsOwnership;
import io.signstream.evaluator.storage.EvaluationStore;
import io.signstream.featurestream.FeatureStreamConfig;
import io.signstream.featurestream.SplitTopics;

/**
 * Accepts evaluation jobs, runs them one at a time on a single worker thread (the model and the feature stream are
 * heavy; one evaluation at a time keeps memory predictable), keeps every job in the object store on each change of
 * state, and publishes each finished result.
 *
 * <p>Several replicas share one bucket, and the bucket is the only truth: every query reads it, so every replica gives
 * the same answer. Each job names its {@link Evaluation#owner() owner}, the instance that queued it (a POST's or a
 * training event's receiver) and alone runs it. Jobs whose owner is dead (its heartbeat is older than the lease, see
 * {@link EvaluatorInstance}) are taken over by one replica: the holder of partition 0 of training.events
 * ({@link TrainingEventsOwnership}); with automatic evaluation off there is no group, and each instance sweeps
 * (one replica is then assumed).
 */
@ApplicationScoped
public class EvaluationService {

    private static final Logger LOG = Logger.getLogger(EvaluationService.class);

    /** Who marks a damaged checkpoint it finds ({@link CheckpointDamage#detectedBy()}). */
    public static final String DETECTED_BY = "evaluator";

    /**
     * The best checkpoint of a run, and the better-scored ones passed over on the way, best first.
     *
     * @param evaluation the completed dev evaluation of the best intact checkpoint; null when there is none
     */
    public record Best(Evaluation evaluation, List<SkippedCheckpoint> skipped) {
    }

    /**
     * A candidate for "best" (or "latest") that was passed over.
     *
     * @param reason {@link Reasons#CHECKPOINT_CORRUPTED} (fails its manifest check; marked corrupted.json),
     *        {@link Reasons#CHECKPOINT_REWRITTEN} (the epoch was written again since it was scored) or
     *        {@link Reasons#UNKNOWN_CHECKPOINT} (no longer in the bucket)
     * @param evaluationId the evaluation that scored it, null for "latest"
     * @param wer its dev WER, null for "latest"
     * @param file the file that failed, for CHECKPOINT_CORRUPTED
     */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record SkippedCheckpoint(int epoch, String reason, String detail, String file, String evaluationId,
            Double wer) {
    }

    @Inject
    EvaluationStore store;

    @Inject
    CheckpointStore checkpoints;

    /** The worker's stores: an outage shorter than the retry deadline delays an evaluation, it does not fail it. */
    @Inject
    io.signstream.evaluator.storage.ObjectStoreProducer.Background background;

    @Inject
    EvaluationResultsPublisher publisher;

    @Inject
    MeterRegistry registry;

    @Inject
    EvaluatorInstance instance;

    @Inject
    @io.smallrye.common.annotation.Identifier(TrainingEventsOwnership.NAME)
    TrainingEventsOwnership trainingEvents;

    @ConfigProperty(name = "signstream.evaluator.auto-evaluate")
    boolean autoEvaluate;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    /** Every kafka.* setting (and KAFKA_* variable): feature-stream connects with the channels' security settings. */
    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaSettings;

    /** The evaluator reads dev and test only (train is never evaluated, and its Kafka user may not read it). */
    @ConfigProperty(name = "signstream.topics.normalized-dev")
    String normalizedDevTopic;

    @ConfigProperty(name = "signstream.topics.normalized-test")
    String normalizedTestTopic;

    /** The all-splits topic of the layout before split topics, still read (README, "Migration"); none: {@value SplitTopics#NONE}. */
    @ConfigProperty(name = "signstream.topics.normalized-legacy")
    String normalizedLegacyTopic;

    @ConfigProperty(name = "signstream.validation.max-frames")
    int maxFrames;

    @ConfigProperty(name = "signstream.evaluator.batch-size")
    int batchSize;

    @ConfigProperty(name = "signstream.evaluator.queue-capacity")
    int queueCapacity;

    @ConfigProperty(name = "signstream.evaluator.seed")
    long seed;

    @ConfigProperty(name = "signstream.evaluator.decoder.type")
    String defaultDecoderType;

    @ConfigProperty(name = "signstream.evaluator.decoder.beam-width")
    Optional<Integer> defaultBeamWidth;

    /** This instance's unfinished jobs (and finished ones not yet stored), with the worker's latest progress. */
    private final Map<String, Evaluation> evaluations = new ConcurrentHashMap<>();
    private final LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final Object submitLock = new Object();
    private final java.util.concurrent.CountDownLatch ready = new java.util.concurrent.CountDownLatch(1);
    private DecoderSpec defaultDecoder;
    private Thread worker;
    private Evaluator evaluator;
    private java.util.concurrent.ScheduledExecutorService sweeper;
    private volatile long lastProgressSave;

    /** Events may arrive before this ran: {@link #submitForCheckpoint} waits for it (awaitReady). */
    void onStart(@Observes @Priority(Interceptor.Priority.APPLICATION) StartupEvent event) {
        defaultDecoder = DecoderSpec.of(defaultDecoderType,
                DecoderSpec.BEAM.equalsIgnoreCase(defaultDecoderType.trim()) ? defaultBeamWidth.orElse(null) : null);
        instance.start();
        registry.gauge("signstream.evaluator.queue.depth", queue, LinkedBlockingQueue::size);
        FeatureStreamConfig streamConfig = FeatureStreamConfig.of(bootstrapServers)
                .withTopics(SplitTopics.none().with(Split.DEV, normalizedDevTopic).with(Split.TEST, normalizedTestTopic)
                        .withLegacy(normalizedLegacyTopic))
                .withMaxFrames(maxFrames).withConsumerOverrides(FeatureStreamConfig.connectionSettings(kafkaSettings));
        evaluator = new Evaluator(background.checkpoints(), streamConfig, batchSize, seed);
        worker = new Thread(this::work, "evaluation-worker");
        worker.setDaemon(true);
        worker.start();
        // unfinished jobs of dead instances (a previous life of this pod among them) are taken over by one replica
        sweeper = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "evaluation-takeover");
            thread.setDaemon(true);
            return thread;
        });
        // each sweep reads every stored evaluation: twice per lease is often enough (a job waits at most 1.5 leases)
        long every = Math.max(instance.heartbeatInterval().toMillis(), instance.lease().toMillis() / 2);
        sweeper.scheduleWithFixedDelay(this::takeOverOrphans, 0, every, TimeUnit.MILLISECONDS);
        ready.countDown();
    }

    /** Whether this instance is the one that takes over jobs of dead instances now. */
    public boolean takesOverOrphans() {
        return !autoEvaluate || trainingEvents.holdsFirstPartition();
    }

    /**
     * Queues here the unfinished jobs whose owner is dead (or unnamed: stored before owners existed). Only the holder
     * of training.events partition 0 does it, so one replica takes each over; the new owner is written before the job
     * is queued, and a worker runs a job only while the bucket still names its instance as the owner.
     */
    void takeOverOrphans() {
        if (stopping.get() || !takesOverOrphans()) {
            return;
        }
        try {
            java.util.Set<String> alive = instance.alive();
            for (Evaluation job : background.evaluations().loadAll()) {
                // this instance's own jobs are in its memory until they are stored finished: never swept here (a
                // job read as RUNNING just before its result was stored must not be queued again)
                if (job.status().isFinished() || instance.id().equals(job.owner())
                        || (job.owner() != null && alive.contains(job.owner()))) {
                    continue;
                }
                synchronized (submitLock) {
                    if (queue.size() >= queueCapacity) {
                        return;
                    }
                    // read again: the list may be seconds old, and the job finished or taken meanwhile
                    Optional<Evaluation> current = background.evaluations().find(job.id());
                    if (evaluations.containsKey(job.id()) || current.isEmpty() || current.get().status().isFinished()
                            || !java.util.Objects.equals(current.get().owner(), job.owner())) {
                        continue;
                    }
                    Evaluation again = job.requeued().ownedBy(instance.id());
                    background.evaluations().save(again);
                    evaluations.put(again.id(), again);
                    queue.add(again.id());
                }
                LOG.infof("took over evaluation %s (%s, owner %s is gone): queued again here", job.id(), job.status(),
                        job.owner());
            }
        } catch (RuntimeException e) {
            LOG.warnf("cannot look for evaluations of dead instances (tried again later): %s", e.getMessage());
        }
    }

    /** False once the worker thread ended while the service is not stopping (liveness). */
    public boolean workerAlive() {
        return stopping.get() || worker == null || worker.isAlive();
    }

    /** Requests arriving while the stored evaluations are still being read wait for them (or get a 503). */
    private void awaitReady() {
        try {
            if (!ready.await(60, TimeUnit.SECONDS)) {
                throw new EvaluatorException(503, "STARTING", "the evaluator is still reading its stored evaluations");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EvaluatorException(503, "STARTING", "interrupted while the evaluator is starting");
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping.set(true);
        if (sweeper != null) {
            sweeper.shutdownNow();
        }
        if (worker != null) {
            worker.interrupt();
            try {
                worker.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // the jobs left here are orphans now: another replica takes them over without waiting for the lease
        instance.stop();
    }

    public DecoderSpec defaultDecoder() {
        return defaultDecoder;
    }

    /**
     * Resolves the checkpoint and queues the evaluation.
     *
     * @throws EvaluatorException 404 for an unknown run or checkpoint or no best one yet, 503 when the queue is full
     */
    public Evaluation submit(EvaluationSpec spec) {
        awaitReady();
        CheckpointManifest manifest = resolve(spec);
        String selectedAs = spec.selection().name().toLowerCase(java.util.Locale.ROOT);
        Evaluation job = Evaluation.queued(newId(), Evaluation.TRIGGER_API,
                new Evaluation.CheckpointInfo(manifest.runId(), manifest.epoch(), selectedAs, manifest.normalization(),
                        manifest.createdAtEpochMs()),
                splitName(spec.split()), spec.decoder(), spec.phoenixCleanup());
        synchronized (submitLock) {
            if (queue.size() >= queueCapacity) {
                throw new EvaluatorException(503, Reasons.QUEUE_FULL, queue.size()
                        + " evaluations are waiting already (signstream.evaluator.queue-capacity); try again later");
            }
            return enqueue(job);
        }
    }

    /**
     * The automatic dev evaluation of a checkpoint announced on training.events, with the default decoder. Idempotent:
     * a checkpoint already evaluated (or queued) this way is not evaluated again, so replayed events are harmless.
     * Waits while the queue is full (the event stays unacknowledged and the connector stops handing out the next:
     * back-pressure, nothing is dropped).
     *
     * @return the new or the existing job; empty when the checkpoint does not exist (yet) in the bucket
     */
    public Optional<Evaluation> submitForCheckpoint(String runId, int epoch) throws InterruptedException {
        awaitReady();
        Optional<CheckpointManifest> manifest;
        try {
            manifest = checkpoints.manifest(new CheckpointRef(runId, epoch));
        } catch (CheckpointIntegrityException e) {
            LOG.warnf("checkpoint %s epoch %d has an unreadable manifest, not evaluated: %s", runId, epoch,
                    e.getMessage());
            return Optional.empty();
        }
        // the bucket, not this instance's memory: the job may have been queued by the replica that held the partition
        // before a rebalance gave it to this one
        Optional<Evaluation> existing = background.evaluations().listByRun(runId).stream()
                .filter(e -> Evaluation.TRIGGER_TRAINING_EVENT.equals(e.trigger()) && e.checkpoint().run().equals(runId)
                        && e.checkpoint().epoch() == epoch && "dev".equals(e.split()) && e.status() != EvaluationStatus.FAILED)
                .filter(e -> manifest.isEmpty() || e.checkpoint().describes(manifest.get()))
                .findFirst();
        if (existing.isPresent()) {
            LOG.infof("checkpoint %s epoch %d already has automatic evaluation %s (%s)", runId, epoch,
                    existing.get().id(), existing.get().status());
            return existing;
        }
        if (manifest.isEmpty()) {
            return Optional.empty();
        }
        Evaluation job = Evaluation.queued(newId(), Evaluation.TRIGGER_TRAINING_EVENT,
                new Evaluation.CheckpointInfo(runId, epoch, "epoch", manifest.get().normalization(),
                        manifest.get().createdAtEpochMs()), "dev",
                defaultDecoder, false);
        while (true) {
            synchronized (submitLock) {
                if (queue.size() < queueCapacity) {
                    return Optional.of(enqueue(job));
                }
            }
            TimeUnit.MILLISECONDS.sleep(500);
        }
    }

    /**
     * The evaluation as stored in the bucket (what every replica answers), with its per-sample results; a job of this
     * instance whose newest state could not be written yet is answered from memory.
     */
    public Optional<Evaluation> find(String id) {
        awaitReady();
        Optional<Evaluation> stored = store.find(id);
        Evaluation mine = evaluations.get(id);
        if (mine != null && (stored.isEmpty() || (mine.status().isFinished() && !stored.get().status().isFinished()))) {
            return Optional.of(mine);
        }
        return stored;
    }

    /**
     * The per-sample results of a COMPLETED evaluation (from the bucket, where they live); empty for other states.
     */
    public List<Evaluation.SampleResult> samples(Evaluation evaluation) {
        if (evaluation.samples() != null) {
            return evaluation.samples();
        }
        if (evaluation.status() != EvaluationStatus.COMPLETED) {
            return List.of();
        }
        return store.find(evaluation.id()).map(Evaluation::samples).orElseThrow(() -> new EvaluatorException(503,
                "OBJECT_STORE_UNAVAILABLE", "the per-sample results of " + evaluation.id() + " are not in the bucket"));
    }

    /** Evaluations, oldest first, filtered by run, split and status when given. */
    public List<Evaluation> list(String run, Split split, EvaluationStatus status) {
        awaitReady();
        List<Evaluation> stored = run == null ? store.loadAll() : store.listByRun(run);
        return stored.stream().map(Evaluation::withoutSamples)
                .filter(e -> run == null || e.checkpoint().run().equals(run))
                .filter(e -> split == null || e.split().equals(splitName(split)))
                .filter(e -> status == null || e.status() == status)
                .sorted(Comparator.comparing(Evaluation::createdAt).thenComparing(Evaluation::id))
                .toList();
    }

    /**
     * Refuses a run id that is malformed (400) or that has neither a checkpoint nor an evaluation (404): what every
     * query naming a run checks first.
     */
    public void requireKnownRun(String run) {
        if (!CheckpointRef.RUN_ID.matcher(run).matches()) {
            throw EvaluatorException.badRequest(Reasons.BAD_RUN_ID, "run must match " + CheckpointRef.RUN_ID.pattern()
                    + ", not '" + run + "'");
        }
        requireRun(run);
    }

    /** True when the bucket holds a checkpoint of the run or this service has evaluated it. */
    public boolean runExists(String run) {
        awaitReady();
        return !checkpoints.list(run).isEmpty() || !store.listByRun(run).isEmpty();
    }

    /**
     * The completed dev evaluation with the lowest WER among the run's checkpoints (ties: the earlier epoch, then
     * the earlier evaluation) whose checkpoint is still the one scored and intact: every file of the candidate is
     * checked against its manifest (SHA-256); one that fails is marked damaged (corrupted.json, kept) and passed over
     * for the next best, and so is one whose epoch was written again since it was scored, or that is gone. The
     * candidates passed over are in {@link Best#skipped()}.
     *
     * @throws CheckpointException when the object store cannot be read
     */
    public Best best(String run) {
        awaitReady();
        List<Evaluation> candidates = store.listByRun(run).stream()
                .filter(e -> e.isDevResultOf(run))
                .sorted(Comparator.comparingDouble((Evaluation e) -> e.scores().wer())
                        .thenComparingInt(e -> e.checkpoint().epoch())
                        .thenComparing(Evaluation::createdAt))
                .toList();
        List<SkippedCheckpoint> skipped = new java.util.ArrayList<>();
        Map<Integer, Optional<CheckpointDamage>> inspected = new java.util.HashMap<>();
        for (Evaluation candidate : candidates) {
            int epoch = candidate.checkpoint().epoch();
            CheckpointRef ref = new CheckpointRef(run, epoch);
            Optional<CheckpointManifest> manifest;
            try {
                manifest = checkpoints.manifest(ref);
            } catch (CheckpointIntegrityException e) {
                manifest = Optional.empty();
                inspected.computeIfAbsent(epoch, k -> checkpoints.inspect(ref, DETECTED_BY));
            }
            Optional<CheckpointDamage> damage = inspected.containsKey(epoch) ? inspected.get(epoch) : Optional.empty();
            SkippedCheckpoint skip = null;
            if (damage.isEmpty() && manifest.isEmpty()) {
                skip = new SkippedCheckpoint(epoch, Reasons.UNKNOWN_CHECKPOINT, "the checkpoint of epoch " + epoch
                        + " is no longer in bucket " + checkpoints.bucket(), null, candidate.id(),
                        candidate.scores().wer());
            } else if (damage.isEmpty() && !candidate.checkpoint().describes(manifest.get())) {
                skip = new SkippedCheckpoint(epoch, Reasons.CHECKPOINT_REWRITTEN, "epoch " + epoch
                        + " was written again after evaluation " + candidate.id() + " scored it (manifest of "
                        + manifest.get().createdAt() + "): that score is not the current checkpoint's", null,
                        candidate.id(), candidate.scores().wer());
            } else {
                if (damage.isEmpty()) {
                    damage = inspected.computeIfAbsent(epoch, k -> checkpoints.inspect(ref, DETECTED_BY));
                }
                if (damage.isPresent()) {
                    CheckpointDamage d = damage.get();
                    skip = new SkippedCheckpoint(epoch, Reasons.CHECKPOINT_CORRUPTED, d.detail(), d.file(),
                            candidate.id(), candidate.scores().wer());
                }
            }
            if (skip == null) {
                return new Best(candidate, skipped);
            }
            LOG.warnf("best checkpoint of run %s: passing over epoch %d (dev WER %.4f, evaluation %s): %s: %s", run,
                    epoch, candidate.scores().wer(), candidate.id(), skip.reason(), skip.detail());
            skipped.add(skip);
        }
        return new Best(null, skipped);
    }

    private CheckpointManifest resolve(EvaluationSpec spec) {
        try {
            return switch (spec.selection()) {
                case EPOCH -> checkpoints.manifest(new CheckpointRef(spec.run(), spec.epoch())).orElseThrow(() -> {
                    requireRun(spec.run());
                    return EvaluatorException.notFound(Reasons.UNKNOWN_CHECKPOINT, "run " + spec.run()
                            + " has no complete checkpoint for epoch " + spec.epoch() + " (epochs: "
                            + checkpoints.list(spec.run()).stream().map(CheckpointManifest::epoch).toList() + ")");
                });
                case LATEST -> {
                    IntactCheckpoint latest = checkpoints.newestIntact(spec.run(), DETECTED_BY).orElseThrow(() ->
                            EvaluatorException.notFound(Reasons.UNKNOWN_RUN, "run " + spec.run() + " has no intact "
                                    + "checkpoint in bucket " + checkpoints.bucket() + damagedSuffix(spec.run())));
                    if (!latest.skipped().isEmpty()) {
                        LOG.warnf("latest checkpoint of run %s: epoch %d; passed over the damaged %s", spec.run(),
                                latest.epoch(), latest.skipped().stream().map(CheckpointDamage::summary).toList());
                    }
                    yield latest.manifest();
                }
                case BEST -> {
                    requireRun(spec.run());
                    Best best = best(spec.run());
                    if (best.evaluation() == null) {
                        throw EvaluatorException.notFound(Reasons.NO_BEST_CHECKPOINT, "run " + spec.run()
                                + (best.skipped().isEmpty() ? " has no completed dev evaluation yet, so no best checkpoint"
                                        : " has no evaluated checkpoint left that is intact and unchanged: passed over "
                                                + best.skipped()));
                    }
                    yield checkpoints.manifest(new CheckpointRef(spec.run(), best.evaluation().checkpoint().epoch()))
                            .orElseThrow(() -> EvaluatorException.notFound(Reasons.UNKNOWN_CHECKPOINT, "the best "
                                    + "checkpoint of run " + spec.run() + " (epoch "
                                    + best.evaluation().checkpoint().epoch() + ") is no longer in the bucket"));
                }
            };
        } catch (CheckpointException e) {
            throw new EvaluatorException(503, "OBJECT_STORE_UNAVAILABLE", e.getMessage());
        }
    }

    private String damagedSuffix(String run) {
        List<CheckpointDamage> damaged = checkpoints.damaged(run);
        return damaged.isEmpty() ? "" : " (damaged, marked and kept: "
                + damaged.stream().map(CheckpointDamage::summary).toList() + ")";
    }

    private void requireRun(String run) {
        if (!runExists(run)) {
            throw EvaluatorException.notFound(Reasons.UNKNOWN_RUN, "run " + run + " has no checkpoint in bucket "
                    + checkpoints.bucket() + " and no evaluation");
        }
    }

    /** Stores the job as this instance's and queues it here; the caller holds submitLock. */
    private Evaluation enqueue(Evaluation queued) {
        Evaluation job = queued.ownedBy(instance.id());
        // in memory first: the takeover sweep never mistakes a job being stored for an orphan
        evaluations.put(job.id(), job);
        try {
            store.save(job);
        } catch (RuntimeException e) {
            evaluations.remove(job.id());
            throw e;
        }
        queue.add(job.id());
        LOG.infof("queued evaluation %s: %s epoch %d on %s with %s (%s)", job.id(), job.checkpoint().run(),
                job.checkpoint().epoch(), job.split(), job.decoder(), job.trigger());
        return job;
    }

    private void work() {
        try {
            while (!stopping.get()) {
                String id = queue.poll(1, TimeUnit.SECONDS);
                if (id == null) {
                    continue;
                }
                Evaluation job = evaluations.get(id);
                if (job == null || job.status() != EvaluationStatus.QUEUED) {
                    continue;
                }
                if (!stillMine(job)) {
                    evaluations.remove(id);
                    continue;
                }
                runOne(job);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            // a Kafka consumer cannot close cleanly on an interrupted thread
            boolean interrupted = Thread.interrupted();
            evaluator.close();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Whether the bucket still names this instance as the job's owner: an instance cut off from the bucket longer than
     * the lease finds its jobs taken over when it comes back, and leaves them to their new owner.
     */
    private boolean stillMine(Evaluation job) {
        try {
            Optional<Evaluation> stored = background.evaluations().find(job.id());
            if (stored.isPresent() && (stored.get().status().isFinished()
                    || !instance.id().equals(stored.get().owner()))) {
                LOG.infof("evaluation %s is %s with owner %s in the bucket: not run here", job.id(),
                        stored.get().status(), stored.get().owner());
                return false;
            }
            return true;
        } catch (RuntimeException e) {
            LOG.warnf("cannot check the owner of evaluation %s, running it: %s", job.id(), e.getMessage());
            return true;
        }
    }

    private void runOne(Evaluation queued) {
        Evaluation running = queued.running();
        evaluations.put(running.id(), running);
        save(running);
        Evaluation finished;
        long started = System.nanoTime();
        try {
            finished = evaluator.run(running, this::progress);
        } catch (Evaluator.EvaluationFailure e) {
            finished = running.failed(e.reason(), e.getMessage(), evaluator.dataSummary(e.summary()));
        } catch (EvaluatorException e) {
            finished = running.failed(e.reason(), e.detail(), null);
        } catch (RuntimeException | Error e) {
            if (stopping.get()) {
                LOG.infof("evaluation %s interrupted by shutdown; it is re-queued at the next start", running.id());
                return;
            }
            LOG.errorf(e, "evaluation %s failed unexpectedly", running.id());
            finished = running.failed(Reasons.MODEL_ERROR, e.getClass().getSimpleName() + ": " + e.getMessage(), null);
        }
        if (stopping.get() && finished.status() == EvaluationStatus.FAILED
                && Reasons.DATA_UNAVAILABLE.equals(finished.reason())) {
            return;
        }
        evaluations.put(finished.id(), finished);
        if (saveFinished(finished)) {
            evaluations.remove(finished.id());
        }
        registry.timer("signstream.evaluator.evaluation.duration", "status", finished.status().name())
                .record(Duration.ofNanos(System.nanoTime() - started));
        registry.counter("signstream.evaluator.evaluations", "status", finished.status().name()).increment();
        if (finished.status() == EvaluationStatus.FAILED) {
            LOG.warnf("evaluation %s FAILED: %s: %s", finished.id(), finished.reason(), finished.detail());
        }
        publisher.publish(finished);
    }

    /**
     * Progress of the running job: kept in memory and written to the bucket at most once per second, so that every
     * replica shows the same samplesDone (best effort: a failed write is left to the next one).
     */
    private void progress(Evaluation progress) {
        evaluations.put(progress.id(), progress);
        long now = System.nanoTime();
        if (now - lastProgressSave < TimeUnit.SECONDS.toNanos(1)) {
            return;
        }
        lastProgressSave = now;
        try {
            store.save(progress);
        } catch (RuntimeException e) {
            LOG.debugf("progress of %s not stored: %s", progress.id(), e.getMessage());
        }
    }

    private void save(Evaluation evaluation) {
        try {
            background.evaluations().save(evaluation);
        } catch (RuntimeException e) {
            // the in-memory state stays right; the next change of state writes the object again
            LOG.errorf("cannot store evaluation %s: %s", evaluation.id(), e.getMessage());
        }
    }

    /** A finished result is written once: retried a few times before giving up (it stays served from memory). */
    private boolean saveFinished(Evaluation evaluation) {
        for (int attempt = 1; attempt <= 5; attempt++) {
            try {
                background.evaluations().save(evaluation);
                return true;
            } catch (RuntimeException e) {
                LOG.errorf("cannot store evaluation %s (attempt %d of 5): %s", evaluation.id(), attempt, e.getMessage());
                try {
                    TimeUnit.SECONDS.sleep(attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return false;
    }

    private static String newId() {
        return "ev-" + UUID.randomUUID();
    }

    static String splitName(Split split) {
        return split.name().toLowerCase(java.util.Locale.ROOT);
    }
}
