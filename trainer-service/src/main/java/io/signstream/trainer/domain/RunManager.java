package io.signstream.trainer.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.signstream.checkpoint.CheckpointRef;
import io.signstream.checkpoint.s3.ObjectStoreFailures;
import io.signstream.trainer.ownership.Leases;
import io.signstream.trainer.ownership.RunOwnership;
import io.signstream.trainer.queue.RunRequests;
import io.signstream.trainer.storage.RunRepository;

/**
 * One run at a time per trainer: starts, stops and lists runs.
 *
 * <p>With the run queue ({@link Queue}, the default), POST /runs records the run QUEUED and publishes a request; the
 * trainer whose queue consumer holds the request claims the run's lease when it is free ({@link #take}) and trains it
 * under that ownership, renewing the lease, writing its progress and looking for a stop request every
 * {@link Queue#renewEvery()}. Without it (single-trainer mode), POST /runs starts the run here, and at startup the
 * run the previous pod was training when it died (STARTING or RUNNING in its run.json) is resumed.
 */
public final class RunManager {

    private static final Logger LOG = Logger.getLogger(RunManager.class);

    /** The trainer trains another run: a second run, or a resume, waits for it to end. */
    public static final String RUN_CONFLICT = "RUN_CONFLICT";
    /** A resume for a run that is not FAILED or STOPPED. */
    public static final String RUN_NOT_RESUMABLE = "RUN_NOT_RESUMABLE";

    /** A second run while one is active, a stop for a run that is not running, a resume of a run that cannot be. */
    public static final class ConflictException extends RuntimeException {
        private final String reason;

        public ConflictException(String message) {
            this(RUN_CONFLICT, message);
        }

        public ConflictException(String reason, String message) {
            super(message);
            this.reason = reason;
        }

        public String reason() {
            return reason;
        }
    }

    /** A run id with no run.json. */
    public static final class UnknownRunException extends RuntimeException {
        public UnknownRunException(String runId) {
            super("no run " + runId);
        }
    }

    /** The broker did not take the run request: the run is FAILED with this reason and can be resumed. */
    public static final String QUEUE_UNAVAILABLE = "QUEUE_UNAVAILABLE";

    /** The run could not be put on the run queue (the broker did not acknowledge the request). */
    public static final class QueueUnavailableException extends RuntimeException {
        public QueueUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * The run queue's parts: where requests go, how this process claims runs, how often it renews what it owns.
     */
    public record Queue(Leases leases, RunRequests requests, Duration renewEvery) {
    }

    /** What the run queue's consumer does with a request it holds, after {@link #take}. */
    public enum Take {
        /** This trainer trains the run: keep the request (uncommitted) until the run ends. */
        TRAINING_HERE,
        /** The run ended (or is unknown): commit the request. */
        ENDED,
        /** Another trainer owns it, or this one is busy, or the store does not answer: look again later. */
        WAITING
    }

    /** The object store does not answer (after the short retries of a REST call): try again later. */
    public static final String OBJECT_STORE_UNAVAILABLE = "OBJECT_STORE_UNAVAILABLE";

    /** The bucket could not be read or written, for a reason waiting can fix; nothing was changed. */
    public static final class StoreUnavailableException extends RuntimeException {
        public StoreUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * What a status read answers: read from the bucket now ({@code staleSince} null), or the last state this trainer
     * knew because the bucket does not answer since {@code staleSince}.
     */
    public record StatusRead<T>(T value, Instant staleSince) {
        public boolean stale() {
            return staleSince != null;
        }
    }

    private final TrainingRun.Environment env;
    /** run.json reads and writes made while a REST call waits: retried briefly, never for the run's deadline. */
    private final RunRepository requests;
    private TrainingRun active;
    /** Every run.json this trainer read or wrote last, for answering while the bucket is away. */
    private final Map<String, RunState> lastKnown = new ConcurrentHashMap<>();
    /** Final states (FAILED) the run could not write because the bucket was away: written when it answers. */
    private final Map<String, RunState> pending = new ConcurrentHashMap<>();
    private volatile Instant storeFailingSince;
    private final ScheduledExecutorService pendingWriter;
    private final Queue queue;
    /** The lease this process holds for {@link #active}; null without the queue or between runs. */
    private RunOwnership ownership;
    /** Set when the pod shuts down: nothing more is taken from the queue. */
    private volatile boolean draining;

    public RunManager(TrainingRun.Environment env) {
        this(env, env.runs(), Duration.ofSeconds(5));
    }

    public RunManager(TrainingRun.Environment env, RunRepository requests, Duration pendingInterval) {
        this(env, requests, pendingInterval, null);
    }

    /**
     * @param requests run.json access for REST calls (short retries)
     * @param pendingInterval how often a final status that could not be written is tried again
     */
    public RunManager(TrainingRun.Environment env, RunRepository requests, Duration pendingInterval, Queue queue) {
        this.env = env;
        this.queue = queue;
        this.requests = requests;
        this.pendingWriter = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "run-status-writer");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(1, pendingInterval.toMillis());
        pendingWriter.scheduleWithFixedDelay(this::writePending, every, every, TimeUnit.MILLISECONDS);
        if (queue != null) {
            long renew = Math.max(1, queue.renewEvery().toMillis());
            pendingWriter.scheduleWithFixedDelay(this::tendOwnedRun, renew, renew, TimeUnit.MILLISECONDS);
        }
    }

    /** Whether runs go through the run queue (several trainers) rather than start on the trainer asked. */
    public boolean queued() {
        return queue != null;
    }

    /** Final states still waiting for the bucket, by run id. */
    public Map<String, RunState> pendingFinalStates() {
        absorbUnsaved();
        return Map.copyOf(pending);
    }

    /** Takes over the final state of the last run if it ended without being able to write it. */
    private synchronized void absorbUnsaved() {
        if (active != null && !active.isAlive()) {
            active.takeUnsavedFinalState().ifPresent(state -> {
                pending.put(state.runId(), state);
                LOG.warnf("run %s ended %s but run.json could not be written; it is written when the object store "
                        + "answers again (tried every few seconds)", state.runId(), state.status());
            });
        }
    }

    /** Writes the final states that are waiting for the bucket; those it still cannot write wait for the next try. */
    void writePending() {
        try {
            absorbUnsaved();
            for (RunState state : List.copyOf(pending.values())) {
                try {
                    requests.save(state);
                    pending.remove(state.runId(), state);
                    lastKnown.put(state.runId(), state);
                    storeAnswered();
                    LOG.infof("run %s: run.json now says %s (written once the object store answered again)",
                            state.runId(), state.status());
                } catch (RuntimeException e) {
                    LOG.debugf("run %s: run.json still cannot be written: %s", state.runId(), e.getMessage());
                }
            }
        } catch (RuntimeException e) {
            LOG.warnf(e, "writing pending run states failed");
        }
    }

    private <T> T store(String what, Supplier<T> call) {
        try {
            T value = call.get();
            storeAnswered();
            return value;
        } catch (RuntimeException e) {
            if (ObjectStoreFailures.isTransient(e)) {
                if (storeFailingSince == null) {
                    storeFailingSince = Instant.now();
                }
                throw new StoreUnavailableException("the object store does not answer (" + what + "): "
                        + e.getMessage() + "; try again later", e);
            }
            throw e;
        }
    }

    private void storeAnswered() {
        storeFailingSince = null;
    }

    private Optional<RunState> stored(String runId) {
        Optional<RunState> found = store("reading run " + runId, () -> requests.find(runId));
        found.ifPresent(state -> lastKnown.put(runId, state));
        return found;
    }

    private void save(RunState state) {
        store("writing run " + state.runId(), () -> {
            requests.save(state);
            return state;
        });
        lastKnown.put(state.runId(), state);
    }

    public TrainingRun.Environment environment() {
        return env;
    }

    /**
     * Starts a run ({@code runId} null picks one): with the run queue, records it QUEUED and publishes its request;
     * without, starts it on this trainer.
     */
    public synchronized RunState start(String runId, RunOptions options) {
        if (queue != null) {
            return submit(runId, options);
        }
        ensureIdle();
        String id = runId == null || runId.isBlank() ? newRunId() : runId;
        CheckpointRef.requireValidRunId(id);
        absorbUnsaved();
        if (pending.containsKey(id) || stored(id).isPresent()) {
            throw new ConflictException("run " + id + " exists already: choose another id");
        }
        TrainingRun run = TrainingRun.create(id, options, env);
        RunState initial = run.snapshot();
        save(initial);
        active = run;
        active.start();
        return initial;
    }

    private RunState submit(String runId, RunOptions options) {
        String id = runId == null || runId.isBlank() ? newRunId() : runId;
        CheckpointRef.requireValidRunId(id);
        absorbUnsaved();
        if (pending.containsKey(id) || stored(id).isPresent()) {
            throw new ConflictException("run " + id + " exists already: choose another id");
        }
        RunState queued = TrainingRun.queuedState(id, options, env);
        save(queued);
        publishRequest(queued);
        LOG.infof("run %s queued", id);
        return queued;
    }

    /** Publishes the run's request; when the broker does not take it, run.json says FAILED (resumable). */
    private void publishRequest(RunState queued) {
        try {
            queue.requests().publish(queued.runId());
        } catch (RuntimeException e) {
            RunState failed = queued.with(RunStatus.FAILED, "could not be queued: " + e.getMessage())
                    .withReason(QUEUE_UNAVAILABLE);
            try {
                save(failed);
            } catch (RuntimeException saving) {
                LOG.warnf("run %s: could not write its FAILED status either: %s", queued.runId(), saving.getMessage());
            }
            throw new QueueUnavailableException("run " + queued.runId() + " could not be queued (" + e.getMessage()
                    + "); it is FAILED and can be resumed once the broker answers", e);
        }
    }

    /**
     * The run queue's consumer holds the request of {@code runId}: trains the run here when it is free and this
     * trainer is idle (claiming its lease, resuming it from its newest intact checkpoint when it has one), tells the
     * consumer to commit the request when the run has ended, and to wait otherwise.
     */
    public Take take(String runId) {
        try {
            Optional<RunState> stored = stored(runId);
            if (stored.isEmpty()) {
                LOG.warnf("a run request names run %s, which has no run.json: dropped", runId);
                return Take.ENDED;
            }
            if (stored.get().status().isFinal()) {
                return Take.ENDED;
            }
            synchronized (this) {
                Optional<TrainingRun> running = active();
                if (running.isPresent()) {
                    return running.get().runId().equals(runId) ? Take.TRAINING_HERE : Take.WAITING;
                }
                if (draining || !queue.leases().claimable(runId)) {
                    return Take.WAITING;
                }
                Optional<RunOwnership> claimed = queue.leases().claim(runId);
                if (claimed.isEmpty()) {
                    return Take.WAITING;
                }
                return trainOwned(claimed.get());
            }
        } catch (RuntimeException e) {
            LOG.warnf("run %s: cannot look at it now (%s); trying again", runId, e.getMessage());
            return Take.WAITING;
        }
    }

    /** Starts or resumes a run this process just claimed; called with the lock held. */
    private Take trainOwned(RunOwnership owned) {
        String runId = owned.runId();
        try {
            // read again after the claim: the previous owner may have ended the run just before its lease lapsed
            RunState fresh = stored(runId).orElseThrow(() -> new UnknownRunException(runId));
            if (fresh.status().isFinal()) {
                owned.release();
                return Take.ENDED;
            }
            if (queue.leases().store().stopRequested(runId)) {
                owned.check(RunRepository.object(runId));
                save(fresh.with(RunStatus.STOPPED, "stopped on request while no trainer trained it"
                        + (fresh.lastCheckpoint() == null ? "" : "; last checkpoint " + fresh.lastCheckpoint())));
                queue.leases().store().clearStopRequest(runId);
                owned.release();
                return Take.ENDED;
            }
            boolean fresh0 = fresh.lastCheckpoint() == null && (fresh.epochLosses() == null
                    || fresh.epochLosses().isEmpty());
            TrainingRun run = fresh.status() == RunStatus.QUEUED && fresh0
                    ? TrainingRun.startQueued(fresh, env, owned)
                    : TrainingRun.resume(fresh, env, "resuming (was " + fresh.status()
                            + (fresh.owner() == null ? "" : " on " + fresh.owner() + ", generation "
                                    + fresh.ownerGeneration()) + ")", owned);
            LOG.infof("run %s taken from the queue by %s (generation %d): %s", runId, queue.leases().owner(),
                    owned.generation(), fresh0 ? "starting" : "resuming from its newest intact checkpoint");
            active = run;
            ownership = owned;
            run.start();
            return Take.TRAINING_HERE;
        } catch (RuntimeException e) {
            owned.release();
            throw e;
        }
    }

    /**
     * Every {@link Queue#renewEvery()} while this process owns a run: renews the lease, passes on a stop request
     * found in the bucket, writes progress to run.json; gives the run up when another owner holds it; releases the
     * lease when the run has ended.
     */
    void tendOwnedRun() {
        TrainingRun run;
        RunOwnership owned;
        synchronized (this) {
            run = active;
            owned = ownership;
        }
        if (run == null || owned == null) {
            return;
        }
        try {
            if (!run.isAlive()) {
                if (run.ownershipLost() == null) {
                    absorbUnsaved();
                    owned.release();
                }
                synchronized (this) {
                    if (ownership == owned) {
                        ownership = null;
                    }
                }
                return;
            }
            owned.renew();
            if (queue.leases().store().stopRequested(run.runId())) {
                LOG.infof("run %s: stop requested through the bucket; it stops after the current step", run.runId());
                run.requestStop();
                queue.leases().store().clearStopRequest(run.runId());
            }
            run.saveProgress();
        } catch (RunGuard.OwnershipLostException e) {
            LOG.errorf("run %s: OWNERSHIP LOST, giving the run up without writing anything more: %s", run.runId(),
                    e.getMessage());
            run.halt();
        } catch (RuntimeException e) {
            LOG.warnf("run %s: lease renewal or progress write failed (%s); trying again in %s", run.runId(),
                    e.getMessage(), queue.renewEvery());
        }
    }

    /** This trainer trains a run now. */
    public boolean busy() {
        return active().isPresent();
    }

    public synchronized Optional<TrainingRun> active() {
        return Optional.ofNullable(active).filter(TrainingRun::isAlive);
    }

    public Optional<RunState> find(String runId) {
        return findStatus(runId).value();
    }

    /**
     * A run as it is now: the live run from memory, a final state still waiting for the bucket, else run.json. While
     * the bucket does not answer, the last run.json this trainer knew, marked stale.
     *
     * @throws StoreUnavailableException when the bucket does not answer and this trainer never knew the run
     */
    public StatusRead<Optional<RunState>> findStatus(String runId) {
        Optional<TrainingRun> live = active().filter(r -> r.runId().equals(runId));
        if (live.isPresent() && queue == null) {
            return new StatusRead<>(Optional.of(live.get().snapshot()), null);
        }
        absorbUnsaved();
        RunState waiting = pending.get(runId);
        if (waiting != null) {
            return new StatusRead<>(Optional.of(waiting), null);
        }
        try {
            return new StatusRead<>(stored(runId), null);
        } catch (StoreUnavailableException e) {
            if (live.isPresent()) {
                return new StatusRead<>(Optional.of(live.get().snapshot()), null);
            }
            RunState known = lastKnown.get(runId);
            if (known == null) {
                throw e;
            }
            return new StatusRead<>(Optional.of(known), staleSince());
        }
    }

    /** Every run in the bucket, newest first, the live one as it is now. */
    public List<RunState> list() {
        return listStatus().value();
    }

    /**
     * {@link #list()}; while the bucket does not answer, the runs this trainer last knew (the live one and final
     * states waiting for the bucket as they are now), marked stale.
     */
    public StatusRead<List<RunState>> listStatus() {
        Optional<TrainingRun> live = active();
        absorbUnsaved();
        Instant stale = null;
        Map<String, RunState> byId = new LinkedHashMap<>();
        try {
            List<RunState> stored = store("listing runs", requests::list);
            stored.forEach(state -> lastKnown.put(state.runId(), state));
            stored.forEach(state -> byId.put(state.runId(), state));
        } catch (StoreUnavailableException e) {
            stale = staleSince();
            LOG.warnf("GET /runs answers from memory: %s", e.getMessage());
            byId.putAll(lastKnown);
        }
        byId.putAll(pending);
        if (queue == null || stale != null) {
            // with the queue, every trainer answers from the bucket (the owner writes progress there)
            live.ifPresent(r -> byId.put(r.runId(), r.snapshot()));
        }
        List<RunState> runs = new ArrayList<>(byId.values());
        runs.sort(java.util.Comparator.comparingLong(RunState::createdAtEpochMs).reversed());
        return new StatusRead<>(runs, stale);
    }

    private Instant staleSince() {
        Instant since = storeFailingSince;
        return since == null ? Instant.now() : since;
    }

    public RunState stop(String runId) {
        Optional<TrainingRun> here = active().filter(r -> r.runId().equals(runId));
        if (queue == null || here.isPresent()) {
            TrainingRun run = here.orElseThrow(() -> new ConflictException(
                    "run " + runId + " is not running on this trainer"));
            run.requestStop();
            return run.snapshot();
        }
        return stopQueued(runId);
    }

    /**
     * A stop for a run this trainer does not train: a QUEUED run that nobody owns is stopped here (under a claimed
     * lease); otherwise a stop request goes to the bucket, where its owner finds it within
     * {@link Queue#renewEvery()} (or the trainer that takes it next, before training).
     */
    private RunState stopQueued(String runId) {
        RunState stored = stored(runId).orElseThrow(() -> new UnknownRunException(runId));
        if (stored.status().isFinal()) {
            throw new ConflictException("run " + runId + " is " + stored.status() + ": it is not running");
        }
        try {
            store("requesting a stop of " + runId, () -> {
                queue.leases().store().requestStop(runId, queue.leases().owner());
                return runId;
            });
            if (stored.status() == RunStatus.QUEUED) {
                synchronized (this) {
                    if (!draining) {
                        Optional<RunOwnership> claimed = queue.leases().claim(runId);
                        if (claimed.isPresent()) {
                            trainOwned(claimed.get());
                            return stored(runId).orElse(stored);
                        }
                    }
                }
            }
        } catch (RunGuard.OwnershipLostException e) {
            LOG.infof("run %s: another trainer took it while it was being stopped; the stop request stays", runId);
        }
        LOG.infof("run %s: stop requested; its owner %s stops it after its current step", runId, stored.owner());
        return stored;
    }

    /**
     * Resumes a FAILED or STOPPED run on request, from its newest intact checkpoint (checkpoints that fail their
     * manifest check are skipped and marked; none intact: it starts over), with the options it was started with.
     * run.json says STARTING before this returns, so a trainer that dies now resumes it at its next start.
     *
     * @throws UnknownRunException when there is no such run
     * @throws ConflictException {@link #RUN_NOT_RESUMABLE} for a run in another state, {@link #RUN_CONFLICT} while
     *         this trainer trains another run
     */
    public synchronized RunState resume(String runId) {
        CheckpointRef.requireValidRunId(runId);
        Optional<TrainingRun> running = active();
        if (running.isPresent() && running.get().runId().equals(runId)) {
            throw new ConflictException(RUN_NOT_RESUMABLE, "run " + runId + " is " + running.get().snapshot().status()
                    + " on this trainer: only a FAILED or STOPPED run can be resumed");
        }
        absorbUnsaved();
        RunState waiting = pending.get(runId);
        if (waiting != null) {
            throw new StoreUnavailableException("run " + runId + " " + waiting.status() + " while the object store was "
                    + "away and run.json does not say so yet: try again once it does", null);
        }
        RunState stored = stored(runId).orElseThrow(() -> new UnknownRunException(runId));
        if (stored.status() != RunStatus.FAILED && stored.status() != RunStatus.STOPPED) {
            throw new ConflictException(RUN_NOT_RESUMABLE, "run " + runId + " is " + stored.status()
                    + ": only a FAILED or STOPPED run can be resumed"
                    + (stored.status().isActive() ? " (a STARTING or RUNNING run is resumed by the trainer that starts"
                            + " next, if its own trainer died)" : ""));
        }
        if (queue != null) {
            store("clearing a stop request of " + runId, () -> {
                queue.leases().store().clearStopRequest(runId);
                return runId;
            });
            RunState queued = stored.with(RunStatus.QUEUED, "queued again on request (was " + stored.status() + ": "
                    + stored.message() + ")");
            save(queued);
            publishRequest(queued);
            LOG.infof("run %s queued again on request (it was %s at epoch %d, last checkpoint %s)", runId,
                    stored.status(), stored.epoch(), stored.lastCheckpoint());
            return queued;
        }
        ensureIdle();
        LOG.infof("resuming run %s on request (it was %s at epoch %d, last checkpoint %s)", runId, stored.status(),
                stored.epoch(), stored.lastCheckpoint());
        TrainingRun run = TrainingRun.resume(stored, env, "resuming on request (was " + stored.status() + ": "
                + stored.message() + ")");
        RunState initial = run.snapshot();
        save(initial);
        active = run.start();
        return initial;
    }

    /**
     * Resumes the interrupted run (STARTING or RUNNING in the bucket) from its latest complete checkpoint. With
     * several, the newest is resumed and the others wait for a trainer that is free.
     */
    public synchronized Optional<RunState> resumeInterrupted() {
        if (active().isPresent()) {
            return Optional.empty();
        }
        // the short-retry repository: a trainer starting while S3 is away does not wait the run deadline for it
        List<RunState> interrupted = requests.list().stream().filter(r -> r.status().isActive()).toList();
        if (interrupted.isEmpty()) {
            return Optional.empty();
        }
        RunState chosen = interrupted.get(0);
        if (interrupted.size() > 1) {
            LOG.warnf("%d interrupted runs in the bucket; resuming %s, the others wait for a free trainer: %s",
                    interrupted.size(), chosen.runId(), interrupted.stream().skip(1).map(RunState::runId).toList());
        }
        LOG.infof("resuming interrupted run %s (it was %s at epoch %d)", chosen.runId(), chosen.status(), chosen.epoch());
        active = TrainingRun.resume(chosen, env).start();
        return Optional.of(chosen);
    }

    /**
     * Pod shutdown: the run is halted without writing more, so the next trainer resumes it; with the queue its lease
     * is released, so that trainer need not wait for it to expire.
     */
    public void shutdown() {
        draining = true;
        pendingWriter.shutdownNow();
        TrainingRun run;
        RunOwnership owned;
        synchronized (this) {
            run = active;
            owned = ownership;
        }
        if (run != null && run.isAlive()) {
            LOG.infof("shutting down: halting run %s; the next trainer resumes it from its last checkpoint", run.runId());
            run.halt();
            try {
                run.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (owned != null && (run == null || run.ownershipLost() == null)) {
            owned.release();
        }
    }

    private void ensureIdle() {
        Optional<TrainingRun> running = active();
        if (running.isPresent()) {
            throw new ConflictException("run " + running.get().runId() + " is " + running.get().snapshot().status()
                    + ": this trainer trains one run at a time; stop it first or use another trainer");
        }
    }

    private static String newRunId() {
        return "run-" + java.time.LocalDate.now() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
