package io.signstream.trainer.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import io.signstream.checkpoint.CheckpointDamage;
import io.signstream.checkpoint.CheckpointFiles;
import io.signstream.checkpoint.CheckpointManifest;
import io.signstream.checkpoint.CheckpointRef;
import io.signstream.checkpoint.s3.ObjectStoreFailures;
import io.signstream.contract.events.TrainingEvent;
import io.signstream.contract.proto.NormalizationStamp;
import io.signstream.featurestream.FeatureStreamConfig;
import io.signstream.scoring.Vocabulary;
import io.signstream.teacher.diagnostics.TeacherDiagnostics;
import io.signstream.teacher.diagnostics.TeacherDiagnostics.FeatureStatistics;
import io.signstream.teacher.LearningRateSchedule;
import io.signstream.teacher.StepResult;
import io.signstream.teacher.TeacherBatch;
import io.signstream.teacher.TeacherConfig;
import io.signstream.teacher.TeacherSession;
import io.signstream.trainer.messaging.EpochReader;
import io.signstream.trainer.messaging.TrainingEvents;
import io.signstream.trainer.messaging.VocabularyScan;
import io.signstream.trainer.storage.RunRepository;
import io.signstream.trainer.storage.TrainingCheckpoints;
import io.signstream.trainer.storage.TrainingState;

/**
 * Drives one run on its own thread: vocabulary pass (or restore from the latest complete checkpoint), then epoch
 * after epoch of steps fed by an {@link EpochReader}, a checkpoint and a {@code CHECKPOINT_WRITTEN} event after every
 * epoch, {@code run.json} kept current in the bucket. A plain class (no CDI) so that tests can start one, crash it
 * ({@link #halt()}: nothing more is written, as when a pod dies) and resume it with a new instance.
 */
public final class TrainingRun {

    private static final Logger LOG = Logger.getLogger(TrainingRun.class);

    /** Creates the model session; tests and the service use {@link TeacherSession#create}. */
    @FunctionalInterface
    public interface SessionFactory {
        TeacherSession create(TeacherConfig config, int vocabularySize, long seed);
    }

    /** What a run needs from its surroundings. */
    public record Environment(FeatureStreamConfig stream, TrainingCheckpoints checkpoints, RunRepository runs,
            TrainingEvents events, EpochReader.Settings loader, int logEverySteps, SessionFactory sessions) {
    }

    /** Thrown inside the run thread once {@link #halt()} was called: unwinds without writing anything. */
    private static final class Halted extends RuntimeException {
        Halted() {
            super("halted", null, false, false);
        }
    }

    private final String runId;
    private final RunOptions options;
    private final Environment env;
    private final boolean resume;
    private final long createdAt;
    private final Thread thread;
    private final RunGuard guard;
    /** One run.json write at a time, snapshot taken inside: a progress write never overtakes a newer status. */
    private final Object saveLock = new Object();

    private volatile boolean stopRequested;
    private volatile String ownershipLost;
    private volatile boolean halted;
    private volatile RunState unsavedFinalState;

    // written by the run thread, read by snapshot(): guarded by this
    private RunStatus status = RunStatus.STARTING;
    private String message = "starting";
    private String reason;
    private String device;
    private int epoch;
    private long step;
    private long totalSteps;
    private int stepsPerEpoch;
    private int warmupSteps;
    private Double loss;
    private Double gradNorm;
    private Double learningRate;
    private long skippedBatches;
    private int consecutiveSkips;
    private Double samplesPerSecond;
    private Double etaSeconds;
    private final List<Double> epochLosses = new ArrayList<>();
    private Integer lastCheckpointEpoch;
    private String lastCheckpoint;
    private Integer resumedFromEpoch;
    private List<CheckpointDamage> skippedCheckpoints = List.of();
    private Integer vocabularySize;
    private String normalization;
    private Map<String, Long> refused = Map.of();
    private Map<String, Long> derivations = Map.of();
    private Map<String, Long> skippedSamples = Map.of();
    private Feasibility feasibility;
    private FeatureStatistics firstBatch;
    /** Time waiting for batches against time in steps: whether the loader keeps the model fed. */
    private InputWait inputWait;

    // run thread only
    private TeacherSession session;
    private Vocabulary vocabulary;
    private NormalizationStamp stamp;
    private LearningRateSchedule schedule;
    private EpochReader reader;
    private double epochLossSum;
    private long epochLossCount;
    private double epochGradSum;
    private long stepsThisProcess;
    private long samplesThisProcess;
    private long trainingStartedNanos;

    private TrainingRun(String runId, RunOptions options, Environment env, boolean resume, long createdAt) {
        this(runId, options, env, resume, createdAt, RunGuard.NONE);
    }

    private TrainingRun(String runId, RunOptions options, Environment env, boolean resume, long createdAt,
            RunGuard guard) {
        CheckpointRef.requireValidRunId(runId);
        this.guard = guard;
        this.runId = runId;
        this.options = options;
        this.env = env;
        this.resume = resume;
        this.createdAt = createdAt;
        this.thread = new Thread(this::execute, "training-run-" + runId);
    }

    /** A new run; call {@link #start()}. */
    public static TrainingRun create(String runId, RunOptions options, Environment env) {
        return new TrainingRun(runId, options, env, false, System.currentTimeMillis());
    }

    /**
     * A queued run taken from the run queue by its first owner: trained from the start, written under {@code guard}.
     */
    public static TrainingRun startQueued(RunState queued, Environment env, RunGuard guard) {
        return new TrainingRun(queued.runId(), queued.options(), env, false, queued.createdAtEpochMs(), guard);
    }

    /** The state run.json holds while the run waits in the run queue. */
    public static RunState queuedState(String runId, RunOptions options, Environment env) {
        TrainingRun run = create(runId, options, env);
        synchronized (run) {
            run.status = RunStatus.QUEUED;
            run.message = "queued: waiting for a free trainer";
        }
        return run.snapshot();
    }

    /** Continues a run whose pod died, from its newest intact checkpoint (from scratch when it has none). */
    public static TrainingRun resume(RunState stored, Environment env) {
        return resume(stored, env, "resuming");
    }

    /**
     * Continues a stored run (interrupted, failed or stopped) from its newest intact checkpoint. Until the checkpoint
     * is restored the run shows what run.json said (epoch, step, last checkpoint, ...), so a failure while restoring
     * never writes a run.json that forgot them.
     */
    public static TrainingRun resume(RunState stored, Environment env, String message) {
        return resume(stored, env, message, RunGuard.NONE);
    }

    /** {@link #resume(RunState, Environment, String)} by an owner of the run, every write checked by {@code guard}. */
    public static TrainingRun resume(RunState stored, Environment env, String message, RunGuard guard) {
        TrainingRun run = new TrainingRun(stored.runId(), stored.options(), env, true, stored.createdAtEpochMs(),
                guard);
        synchronized (run) {
            run.epochLosses.addAll(stored.epochLosses() == null ? List.of() : stored.epochLosses());
            run.message = message;
            run.feasibility = stored.feasibility();
            run.device = stored.device();
            run.epoch = stored.epoch();
            run.step = stored.step();
            run.totalSteps = stored.totalSteps();
            run.stepsPerEpoch = stored.stepsPerEpoch();
            run.warmupSteps = stored.warmupSteps();
            run.loss = stored.loss();
            run.gradNorm = stored.gradNorm();
            run.learningRate = stored.learningRate();
            run.skippedBatches = stored.skippedBatches();
            run.lastCheckpointEpoch = stored.lastCheckpointEpoch();
            run.lastCheckpoint = stored.lastCheckpoint();
            run.resumedFromEpoch = stored.resumedFromEpoch();
            run.skippedCheckpoints = stored.skippedCheckpoints() == null ? List.of() : stored.skippedCheckpoints();
            run.vocabularySize = stored.vocabularySize();
            run.normalization = stored.normalization();
            run.refused = stored.refusedRecords() == null ? Map.of() : stored.refusedRecords();
            run.derivations = stored.featureDerivations() == null ? Map.of() : stored.featureDerivations();
            run.skippedSamples = stored.skippedSamples() == null ? Map.of() : stored.skippedSamples();
            run.firstBatch = stored.firstBatch();
        }
        return run;
    }

    public String runId() {
        return runId;
    }

    public TrainingRun start() {
        thread.start();
        return this;
    }

    /** Asks the run to stop after the current step; its last complete checkpoint stays. */
    public void requestStop() {
        stopRequested = true;
    }

    /**
     * Stops the run as a crash would: no checkpoint, no status, no event is written from now on (run.json keeps
     * saying RUNNING, so the next trainer resumes it). Used for pod shutdown and by tests.
     */
    public void halt() {
        halted = true;
        thread.interrupt();
        EpochReader current = reader;
        if (current != null) {
            current.close();
        }
    }

    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        thread.join(unit.toMillis(timeout));
        return !thread.isAlive();
    }

    public boolean isAlive() {
        return thread.isAlive();
    }

    public synchronized RunState snapshot() {
        return new RunState(runId, status, message, reason, options, device, epoch, options.epochs(), step, totalSteps,
                stepsPerEpoch, warmupSteps, loss, gradNorm, learningRate, skippedBatches, consecutiveSkips,
                samplesPerSecond, etaSeconds, List.copyOf(epochLosses), lastCheckpointEpoch, lastCheckpoint,
                resumedFromEpoch, skippedCheckpoints, vocabularySize, normalization, refused, derivations, skippedSamples,
                feasibility, firstBatch, createdAt,
                System.currentTimeMillis(), guard.writer() == null ? null : guard.writer().owner(),
                guard.writer() == null ? null : guard.writer().generation(),
                inputWait == null ? null : inputWait.report());
    }

    /** Why this process gave the run up (another owner took it), null while it has not. */
    public String ownershipLost() {
        return ownershipLost;
    }

    /**
     * Writes the run's progress to run.json between epochs (so every pod answers GET with a current step), through
     * the same fence as every write. Does nothing once the run has ended or was halted.
     */
    public void saveProgress() {
        if (halted || !thread.isAlive()) {
            return;
        }
        synchronized (this) {
            if (status != RunStatus.RUNNING) {
                return;
            }
        }
        save();
    }

    private void execute() {
        try {
            int firstEpoch = resume ? restore() : prepare();
            if (firstEpoch > options.epochs()) {
                complete();
                return;
            }
            train(firstEpoch);
        } catch (Halted e) {
            LOG.warnf("run %s halted at epoch %d step %d: nothing more written; it resumes from its last checkpoint",
                    runId, epoch, step);
        } catch (RunGuard.OwnershipLostException e) {
            giveUp(e);
        } catch (Throwable e) {
            if (e.getCause() instanceof RunGuard.OwnershipLostException lost) {
                giveUp(lost);
                return;
            }
            if (halted) {
                LOG.warnf("run %s halted at epoch %d step %d (%s)", runId, epoch, step, e.toString());
                return;
            }
            fail(e);
        } finally {
            if (reader != null) {
                reader.close();
            }
            if (session != null) {
                session.close();
            }
        }
    }

    private void giveUp(RunGuard.OwnershipLostException e) {
        ownershipLost = e.getMessage();
        halted = true;
        LOG.errorf("run %s: OWNERSHIP LOST at epoch %d step %d, a write was refused and this process gives the run up "
                + "without writing anything more: %s", runId, epoch, step, e.getMessage());
    }

    private int prepare() {
        synchronized (this) {
            message = "reading the train split for the vocabulary";
        }
        save();
        publish(TrainingEvent.Type.RUN_STARTED, 0, null, Map.of("temporal_stride", (double) options.model().temporalStride()),
                "run started: " + options.epochs() + " epochs, batch " + options.batchSize() + ", lr "
                + options.learningRate() + ", model " + options.modelPreset() + ", temporalStride "
                + options.model().temporalStride());
        VocabularyScan.Result scan;
        try {
            scan = VocabularyScan.run(env.stream(), options.maxFrames(), options.model(),
                    options.maxUnalignableShare());
        } catch (Feasibility.UnalignableSamplesException e) {
            synchronized (this) {
                feasibility = e.feasibility();
                reason = Feasibility.UNALIGNABLE_SAMPLES;
            }
            throw e;
        }
        checkHalt();
        int perEpoch = BatchAssembler.batchesPerEpoch(scan.samples(), options.batchSize());
        long total = (long) perEpoch * options.epochs();
        vocabulary = scan.vocabulary();
        stamp = scan.stamp();
        synchronized (this) {
            vocabularySize = vocabulary.size();
            normalization = scan.normalization();
            refused = scan.refused();
            derivations = scan.pass().derivations();
            skippedSamples = scan.skipped();
            feasibility = scan.feasibility();
            stepsPerEpoch = perEpoch;
            totalSteps = total;
            warmupSteps = options.warmupFor((int) Math.min(Integer.MAX_VALUE, total));
        }
        openSession();
        return 1;
    }

    private int restore() {
        Integer recorded;
        synchronized (this) {
            recorded = lastCheckpointEpoch;
        }
        Optional<TrainingCheckpoints.Restored> latest = env.checkpoints().newestIntact(runId,
                recorded == null ? 0 : recorded);
        if (latest.isEmpty()) {
            List<CheckpointDamage> damaged = env.checkpoints().damaged(runId);
            if (damaged.isEmpty() && recorded != null && recorded > 0) {
                LOG.warnf("run %s: its record names checkpoint epoch %d, but no complete checkpoint is in the bucket "
                        + "(listed or read by key): starting it over", runId, recorded);
            } else if (damaged.isEmpty()) {
                LOG.infof("run %s has no complete checkpoint: starting it over", runId);
            } else {
                LOG.warnf("run %s has no intact checkpoint: every one fails its manifest check and is marked damaged "
                        + "(kept in the bucket): %s; starting it over", runId,
                        damaged.stream().map(CheckpointDamage::summary).toList());
            }
            synchronized (this) {
                epochLosses.clear();
                skippedCheckpoints = List.copyOf(damaged);
                epoch = 0;
                step = 0;
                skippedBatches = 0;
                lastCheckpointEpoch = null;
                lastCheckpoint = null;
                resumedFromEpoch = null;
                firstBatch = null;
            }
            return prepare();
        }
        TrainingCheckpoints.Restored restored = latest.get();
        TrainingState state = restored.state();
        vocabulary = restored.vocabulary();
        stamp = restored.stamp();
        List<CheckpointDamage> skipped = restored.skipped();
        String skippedText = skipped.isEmpty() ? "" : "; skipped the damaged checkpoint(s) of "
                + skipped.stream().map(CheckpointDamage::summary).toList()
                + ", marked " + CheckpointFiles.CORRUPTED + " and kept";
        synchronized (this) {
            resumedFromEpoch = restored.epoch();
            skippedCheckpoints = skipped;
            epoch = restored.epoch();
            step = state.step();
            totalSteps = state.totalSteps();
            stepsPerEpoch = state.stepsPerEpoch();
            warmupSteps = state.warmupSteps();
            skippedBatches = state.skippedBatches();
            epochLosses.clear();
            epochLosses.addAll(state.epochLosses());
            vocabularySize = vocabulary.size();
            normalization = restored.normalization();
            lastCheckpointEpoch = restored.epoch();
            lastCheckpoint = restored.manifest().ref().prefix();
            message = "resumed from " + lastCheckpoint + skippedText;
        }
        if (!skipped.isEmpty()) {
            LOG.warnf("run %s falls back to the checkpoint of epoch %d: %d newer checkpoint(s) fail their manifest "
                    + "check: %s. They are marked damaged and kept; an epoch trained again copies its damaged "
                    + "checkpoint to %s before writing the new one", runId, restored.epoch(), skipped.size(),
                    skipped.stream().map(CheckpointDamage::summary).toList(),
                    CheckpointRef.runPrefix(runId) + CheckpointFiles.QUARANTINE + "/");
        }
        openSession();
        restored.loadInto(session);
        LOG.infof("run %s resumes after epoch %d (step %d of %d) from %s: parameters, optimizer state and vocabulary "
                + "(%d glosses) restored", runId, restored.epoch(), state.step(), state.totalSteps(),
                restored.manifest().ref().prefix(), vocabulary.size());
        Map<String, Double> resumeMetrics = new TreeMap<>();
        if (!skipped.isEmpty()) {
            resumeMetrics.put("skipped_checkpoints", (double) skipped.size());
            resumeMetrics.put("skipped_checkpoint_epoch", (double) skipped.get(0).epoch());
        }
        publish(TrainingEvent.Type.RUN_STARTED, restored.epoch(), restored.manifest().ref().prefix(), resumeMetrics,
                "run resumed from the checkpoint of epoch " + restored.epoch() + skippedText);
        return restored.epoch() + 1;
    }

    private void openSession() {
        session = env.sessions().create(options.model(), vocabulary.size(), options.seed());
        schedule = new LearningRateSchedule(options.learningRate(), warmupSteps, (int) Math.max(1, totalSteps));
        synchronized (this) {
            device = session.device();
        }
        LOG.infof("run %s trains on %s: %d parameters, %d glosses, %d steps per epoch, %d steps, warmup %d, "
                + "normalization %s", runId, device, session.parameterCount(), vocabulary.size(), stepsPerEpoch,
                totalSteps, warmupSteps, normalization);
    }

    private void train(int firstEpoch) throws InterruptedException {
        reader = new EpochReader(env.stream(), normalization, vocabulary, options, env.loader(), firstEpoch,
                options.epochs(), runId).start();
        synchronized (this) {
            status = RunStatus.RUNNING;
            epoch = firstEpoch;
            message = "training epoch " + firstEpoch;
            inputWait = new InputWait(firstEpoch);
        }
        save();
        trainingStartedNanos = System.nanoTime();
        // the next batch is due from here: what passes until it arrives, the model spends waiting for data
        long waitingSince = System.nanoTime();
        while (true) {
            checkHalt();
            if (stopRequested) {
                stop();
                return;
            }
            EpochReader.Item item = reader.poll(200, TimeUnit.MILLISECONDS);
            if (item == null) {
                continue;
            }
            if (item instanceof EpochReader.Batch batch) {
                step(batch, System.nanoTime() - waitingSince);
                waitingSince = System.nanoTime();
            } else if (item instanceof EpochReader.EpochEnd end) {
                endEpoch(end);
                // writing the checkpoint is not waiting for data
                waitingSince = System.nanoTime();
                if (end.epoch() >= options.epochs()) {
                    complete();
                    return;
                }
                synchronized (this) {
                    epoch = end.epoch() + 1;
                    message = "training epoch " + epoch;
                }
            } else if (item instanceof EpochReader.Failure failure) {
                throw new IllegalStateException("reading the train split failed: " + failure.error().getMessage(),
                        failure.error());
            }
        }
    }

    private void step(EpochReader.Batch item, long waitedNanos) {
        TeacherBatch batch = item.batch();
        if (firstBatch == null) {
            FeatureStatistics stats = TeacherDiagnostics.featureStatistics(batch);
            synchronized (this) {
                firstBatch = stats;
            }
            TeacherDiagnostics.ColumnStatistics all = stats.overall();
            LOG.infof("run %s first batch after normalization: mean %.4f, std %.4f, min %.4f, max %.4f, %d non-finite"
                    + " over %d values (%d samples, %d frames padded)", runId, all.mean(), all.std(), all.min(),
                    all.max(), all.nonFinite(), all.values(), batch.batchSize(), batch.maxFrames());
        }
        float rate = schedule.at((int) Math.min(step, Math.max(0, totalSteps - 1)));
        long stepStarted = System.nanoTime();
        StepResult result = session.trainStep(batch, rate);
        long steppedNanos = System.nanoTime() - stepStarted;
        stepsThisProcess++;
        samplesThisProcess += batch.batchSize();
        boolean skipped = result.skipped() || !Double.isFinite(result.loss());
        synchronized (this) {
            step++;
            inputWait.step(waitedNanos, steppedNanos);
            learningRate = (double) rate;
            if (skipped) {
                skippedBatches++;
                consecutiveSkips++;
            } else {
                consecutiveSkips = 0;
                loss = result.loss();
                gradNorm = result.gradNorm();
            }
            double seconds = (System.nanoTime() - trainingStartedNanos) / 1e9;
            samplesPerSecond = seconds > 0 ? samplesThisProcess / seconds : null;
            double perStep = seconds / stepsThisProcess;
            etaSeconds = Math.max(0, totalSteps - step) * perStep;
        }
        if (skipped) {
            String why = result.skipReason() != null ? result.skipReason() : "non-finite loss " + result.loss();
            LOG.warnf("run %s epoch %d step %d skipped (%d in a row, %d in all): %s", runId, item.epoch(), step,
                    consecutiveSkips, skippedBatches, why);
            if (consecutiveSkips >= options.maxConsecutiveSkips()) {
                throw new IllegalStateException(consecutiveSkips + " steps in a row had a non-finite loss, output or "
                        + "gradient (last: " + why + "): stopped; check the data's normalization (see the first-batch "
                        + "statistics) and the learning rate");
            }
            return;
        }
        epochLossSum += result.loss();
        epochGradSum += result.gradNorm();
        epochLossCount++;
        if (env.logEverySteps() > 0 && step % env.logEverySteps() == 0) {
            RunState s = snapshot();
            InputWait.Epoch waited = s.inputWait().current();
            LOG.infof("run %s epoch %d/%d step %d/%d: loss %.4f, grad norm %.3f, lr %.2e, %.1f samples/s, ETA %s, "
                    + "input wait %.1f%% of the epoch's step time (last step %d ms)",
                    runId, item.epoch(), options.epochs(), s.step(), s.totalSteps(), result.loss(), result.gradNorm(),
                    rate, s.samplesPerSecond() == null ? 0.0 : s.samplesPerSecond(), eta(s.etaSeconds()),
                    100 * waited.share(), Math.round(waited.lastWaitSeconds() * 1000));
        }
    }

    private void endEpoch(EpochReader.EpochEnd end) {
        if (end.samples() == 0) {
            throw new IllegalStateException("epoch " + end.epoch() + " found no usable TRAIN sample: " + end.pass()
                    + ", skipped " + end.skipped());
        }
        Double meanLoss = epochLossCount == 0 ? null : epochLossSum / epochLossCount;
        Double meanGrad = epochLossCount == 0 ? null : epochGradSum / epochLossCount;
        Map<String, Double> metrics = new TreeMap<>();
        InputWait.Epoch waited;
        synchronized (this) {
            waited = inputWait.endEpoch(end.epoch() + 1);
            metrics.putAll(waited.metrics());
            epochLosses.add(meanLoss == null ? Double.NaN : meanLoss);
            refused = end.pass().refused();
            derivations = end.pass().derivations();
            skippedSamples = end.skipped();
            metrics.put("epoch", (double) end.epoch());
            metrics.put("step", (double) step);
            if (meanLoss != null) {
                metrics.put("loss", meanLoss);
                metrics.put("grad_norm", meanGrad);
            }
            metrics.put("learning_rate", learningRate == null ? 0.0 : learningRate);
            metrics.put("skipped_batches", (double) skippedBatches);
            metrics.put("samples", (double) end.samples());
            metrics.put("samples_from_cache", (double) end.fromCache());
            metrics.put("refused_records", (double) end.pass().refusedTotal());
            metrics.put("skipped_samples", (double) end.skipped().values().stream().mapToLong(Long::longValue).sum());
            if (feasibility != null) {
                metrics.putAll(feasibility.metrics());
            }
            if (samplesPerSecond != null) {
                metrics.put("samples_per_second", samplesPerSecond);
            }
        }
        epochLossSum = 0;
        epochGradSum = 0;
        epochLossCount = 0;
        checkHalt();
        CheckpointRef ref = new CheckpointRef(runId, end.epoch());
        RunState s = snapshot();
        TrainingState state = new TrainingState(runId, end.epoch(), s.step(), s.totalSteps(), s.stepsPerEpoch(),
                s.warmupSteps(), options, s.epochLosses(), s.skippedBatches(), s.device());
        CheckpointManifest manifest = env.checkpoints().write(ref, session, vocabulary, stamp, normalization, state,
                metrics, guard.writer(), guard::check);
        synchronized (this) {
            lastCheckpointEpoch = end.epoch();
            lastCheckpoint = ref.prefix();
        }
        checkHalt();
        publish(TrainingEvent.Type.CHECKPOINT_WRITTEN, end.epoch(), ref.prefix(), metrics,
                "checkpoint of epoch " + end.epoch() + " written (" + manifest.files().size() + " files)");
        save();
        LOG.infof("run %s epoch %d/%d done: mean loss %s, mean grad norm %s, %d samples (%d of %d kept records from the "
                + "local cache), %d skipped steps, refused %s, skipped samples %s, input wait %.2f s of %.2f s in steps "
                + "(%.1f%%, longest %.2f s); checkpoint %s",
                runId, end.epoch(), options.epochs(), meanLoss, meanGrad, end.samples(), end.fromCache(),
                end.pass().kept(), s.skippedBatches(),
                end.pass().refused(), end.skipped(), waited.waitSeconds(), waited.stepSeconds(), 100 * waited.share(),
                waited.maxWaitSeconds(), ref.prefix());
    }

    private void complete() {
        synchronized (this) {
            status = RunStatus.COMPLETED;
            message = "completed " + options.epochs() + " epochs";
            etaSeconds = 0.0;
        }
        save();
        publish(TrainingEvent.Type.RUN_COMPLETED, options.epochs(), lastCheckpoint, lastMetrics(), message);
        LOG.infof("run %s completed: epoch losses %s", runId, epochLosses);
    }

    private void stop() {
        synchronized (this) {
            status = RunStatus.STOPPED;
            message = "stopped on request during epoch " + epoch + " at step " + step
                    + (lastCheckpoint == null ? "; no checkpoint yet" : "; last checkpoint " + lastCheckpoint);
        }
        save();
        publish(TrainingEvent.Type.RUN_STOPPED, epoch, lastCheckpoint, lastMetrics(), message);
        LOG.infof("run %s %s", runId, message);
    }

    private void fail(Throwable error) {
        LOG.errorf(error, "run %s failed at epoch %d step %d", runId, epoch, step);
        synchronized (this) {
            status = RunStatus.FAILED;
            message = error.getMessage() == null ? error.toString() : error.getMessage();
            if (reason == null && ObjectStoreFailures.isTransient(error)) {
                reason = RunManager.OBJECT_STORE_UNAVAILABLE;
            }
        }
        try {
            save();
        } catch (Halted e) {
            return;
        } catch (RunGuard.OwnershipLostException e) {
            giveUp(e);
            return;
        } catch (RuntimeException e) {
            // the bucket is away for longer than the retry deadline: the RunManager writes it when it answers again
            unsavedFinalState = snapshot();
            LOG.errorf("could not write the failure of run %s to run.json (%s); kept, and written once the object "
                    + "store answers again", runId, e.getMessage());
        }
        try {
            publish(TrainingEvent.Type.RUN_FAILED, epoch, lastCheckpoint, lastMetrics(), message);
        } catch (RuntimeException e) {
            LOG.errorf(e, "could not publish the failure of run %s", runId);
        }
    }

    /** The final state the run could not write to run.json, once (then null): the caller writes it later. */
    public Optional<RunState> takeUnsavedFinalState() {
        RunState state = unsavedFinalState;
        unsavedFinalState = null;
        return Optional.ofNullable(state);
    }

    private synchronized Map<String, Double> lastMetrics() {
        Map<String, Double> metrics = new TreeMap<>();
        if (!epochLosses.isEmpty()) {
            metrics.put("loss", epochLosses.get(epochLosses.size() - 1));
        }
        metrics.put("step", (double) step);
        metrics.put("skipped_batches", (double) skippedBatches);
        if (feasibility != null) {
            metrics.putAll(feasibility.metrics());
        }
        return metrics;
    }

    private void save() {
        synchronized (saveLock) {
            checkHalt();
            guard.check(RunRepository.object(runId));
            env.runs().save(snapshot());
        }
    }

    private void publish(TrainingEvent.Type type, int eventEpoch, String prefix, Map<String, Double> metrics,
            String text) {
        checkHalt();
        env.events().publish(new TrainingEvent(type, runId, eventEpoch, env.checkpoints().store().bucket(), prefix,
                normalization, metrics, text, System.currentTimeMillis()));
    }

    private void checkHalt() {
        if (halted) {
            throw new Halted();
        }
    }

    private static String eta(Double seconds) {
        if (seconds == null) {
            return "?";
        }
        long s = Math.round(seconds);
        return String.format("%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
    }
}
