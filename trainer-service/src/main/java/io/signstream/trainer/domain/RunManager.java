package io.signstream.trainer.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import io.signstream.checkpoint.CheckpointRef;

/**
 * One run at a time per trainer: starts, stops and lists runs, and at startup resumes the run the previous pod
 * was training when it died (status STARTING or RUNNING in its run.json).
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

    private final TrainingRun.Environment env;
    private TrainingRun active;

    public RunManager(TrainingRun.Environment env) {
        this.env = env;
    }

    public TrainingRun.Environment environment() {
        return env;
    }

    /** Starts a run; {@code runId} null picks one. */
    public synchronized RunState start(String runId, RunOptions options) {
        ensureIdle();
        String id = runId == null || runId.isBlank() ? newRunId() : runId;
        CheckpointRef.requireValidRunId(id);
        if (env.runs().find(id).isPresent()) {
            throw new ConflictException("run " + id + " exists already: choose another id");
        }
        active = TrainingRun.create(id, options, env);
        RunState initial = active.snapshot();
        env.runs().save(initial);
        active.start();
        return initial;
    }

    public synchronized Optional<TrainingRun> active() {
        return Optional.ofNullable(active).filter(TrainingRun::isAlive);
    }

    public Optional<RunState> find(String runId) {
        Optional<TrainingRun> live = active().filter(r -> r.runId().equals(runId));
        if (live.isPresent()) {
            return Optional.of(live.get().snapshot());
        }
        return env.runs().find(runId);
    }

    /** Every run in the bucket, newest first, the live one as it is now. */
    public List<RunState> list() {
        Optional<TrainingRun> live = active();
        List<RunState> runs = new ArrayList<>();
        for (RunState stored : env.runs().list()) {
            runs.add(live.filter(r -> r.runId().equals(stored.runId())).map(TrainingRun::snapshot).orElse(stored));
        }
        return runs;
    }

    public RunState stop(String runId) {
        TrainingRun run = active().filter(r -> r.runId().equals(runId)).orElseThrow(() -> new ConflictException(
                "run " + runId + " is not running on this trainer"));
        run.requestStop();
        return run.snapshot();
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
        RunState stored = env.runs().find(runId).orElseThrow(() -> new UnknownRunException(runId));
        if (stored.status() != RunStatus.FAILED && stored.status() != RunStatus.STOPPED) {
            throw new ConflictException(RUN_NOT_RESUMABLE, "run " + runId + " is " + stored.status()
                    + ": only a FAILED or STOPPED run can be resumed"
                    + (stored.status().isActive() ? " (a STARTING or RUNNING run is resumed by the trainer that starts"
                            + " next, if its own trainer died)" : ""));
        }
        ensureIdle();
        LOG.infof("resuming run %s on request (it was %s at epoch %d, last checkpoint %s)", runId, stored.status(),
                stored.epoch(), stored.lastCheckpoint());
        TrainingRun run = TrainingRun.resume(stored, env, "resuming on request (was " + stored.status() + ": "
                + stored.message() + ")");
        RunState initial = run.snapshot();
        env.runs().save(initial);
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
        List<RunState> interrupted = env.runs().list().stream().filter(r -> r.status().isActive()).toList();
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

    /** Pod shutdown: the run is halted without writing more, so the next trainer resumes it. */
    public void shutdown() {
        TrainingRun run;
        synchronized (this) {
            run = active;
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
