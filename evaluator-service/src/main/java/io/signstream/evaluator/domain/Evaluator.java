package io.signstream.evaluator.domain;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.signstream.checkpoint.CheckpointException;
import io.signstream.checkpoint.CheckpointFiles;
import io.signstream.checkpoint.CheckpointManifest;
import io.signstream.checkpoint.CheckpointRef;
import io.signstream.checkpoint.CheckpointStore;
import io.signstream.contract.Glosses;
import io.signstream.contract.proto.Split;
import io.signstream.featurestream.FeatureStream;
import io.signstream.featurestream.FeatureStreamConfig;
import io.signstream.featurestream.FeatureStreamException;
import io.signstream.featurestream.NormalizedSample;
import io.signstream.featurestream.PassRequest;
import io.signstream.featurestream.PassSummary;
import io.signstream.featurestream.Refusal;
import io.signstream.featurestream.SamplePass;
import io.signstream.scoring.Vocabulary;
import io.signstream.scoring.decode.CtcDecoder;
import io.signstream.scoring.wer.AlignedPair;
import io.signstream.scoring.wer.CorpusScore;
import io.signstream.scoring.wer.SampleScore;
import io.signstream.teacher.TeacherBatch;
import io.signstream.teacher.TeacherConfig;
import io.signstream.teacher.TeacherSession;

/**
 * Runs one evaluation: loads the checkpoint (vocabulary, config, parameters, verified against its manifest), reads
 * the split from its normalized topic (features.normalized.dev or .test) expecting the normalization the checkpoint was trained on, runs the
 * teacher batch by batch, decodes (greedy or prefix beam search) and scores the corpus.
 * <p>
 * A split whose records carry other normalization arithmetic than the checkpoint's fails the whole evaluation
 * (NORMALIZATION_MISMATCH): a WER over data the model never saw normalized that way would mislead. Records that are
 * unstamped or invalid are refused by the feature stream and counted in the result's data summary.
 * <p>
 * Used by one worker thread at a time (it owns a {@link FeatureStream}, whose index of the topic carries over from
 * one evaluation to the next so each pass only indexes what is new).
 */
public final class Evaluator implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Evaluator.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CheckpointStore checkpoints;
    private final FeatureStreamConfig streamConfig;
    private final int batchSize;
    private final long seed;
    private FeatureStream stream;

    /** Refuses the evaluation with a reason; the job becomes FAILED. */
    public static final class EvaluationFailure extends RuntimeException {
        private final String reason;
        private final transient PassSummary summary;

        EvaluationFailure(String reason, String detail, PassSummary summary) {
            super(detail);
            this.reason = reason;
            this.summary = summary;
        }

        public String reason() {
            return reason;
        }

        public PassSummary summary() {
            return summary;
        }
    }

    /**
     * @param batchSize samples per forward pass
     * @param seed initializes the session before the checkpoint's parameters replace every weight
     */
    public Evaluator(CheckpointStore checkpoints, FeatureStreamConfig streamConfig, int batchSize, long seed) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, was " + batchSize);
        }
        this.checkpoints = checkpoints;
        this.streamConfig = streamConfig;
        this.batchSize = batchSize;
        this.seed = seed;
    }

    /**
     * Evaluates a RUNNING job and returns it COMPLETED, or throws.
     *
     * @param progress told after each batch with the job carrying the samples decoded so far
     * @throws EvaluationFailure for every refusal with a reason (see {@link Reasons})
     */
    public Evaluation run(Evaluation job, Consumer<Evaluation> progress) {
        long started = System.nanoTime();
        CheckpointRef ref = new CheckpointRef(job.checkpoint().run(), job.checkpoint().epoch());
        LoadedCheckpoint checkpoint = load(ref);
        Split split = EvaluationRequest.parseSplit(job.split());
        CorpusScore score = job.phoenixCleanup() ? CorpusScore.withPhoenixCleanup() : new CorpusScore();
        List<Evaluation.SampleResult> results = new ArrayList<>();
        PassSummary summary;
        TeacherSession session = null;
        try (SamplePass pass = stream().open(PassRequest.expectingDescription(split, checkpoint.normalization()))) {
            List<NormalizedSample> batch = new ArrayList<>(batchSize);
            while (pass.hasNext()) {
                batch.add(pass.next());
                if (batch.size() == batchSize || !pass.hasNext()) {
                    if (session == null) {
                        session = openSession(ref, checkpoint);
                    }
                    decode(session, checkpoint.vocabulary(), job.decoder(), batch, score, results);
                    batch.clear();
                    progress.accept(job.progress(results.size()));
                    double seconds = (System.nanoTime() - started) / 1e9;
                    LOG.infof("evaluation %s: %d samples decoded (%.1f samples/s), running WER %.2f%%", job.id(),
                            results.size(), results.size() / Math.max(seconds, 1e-9), 100 * score.wer());
                }
            }
            summary = pass.summary();
        } catch (FeatureStreamException e) {
            resetStream();
            throw new EvaluationFailure(Reasons.DATA_UNAVAILABLE, e.getMessage(), null);
        } finally {
            if (session != null) {
                session.close();
            }
        }
        long mismatched = summary.refused(Refusal.NORMALIZATION_MISMATCH);
        if (mismatched > 0) {
            throw new EvaluationFailure(Reasons.NORMALIZATION_MISMATCH, String.format(Locale.ROOT,
                    "checkpoint %s was trained on data normalized with %s, but %d %s record(s) of %s are normalized "
                            + "otherwise (stamps seen: %s): refusing to evaluate it on differently normalized data",
                    ref, checkpoint.normalization(), mismatched, job.split(), streamConfig.topics().describe(split), summary.stamps()),
                    summary);
        }
        if (score.sentences() == 0) {
            throw new EvaluationFailure(Reasons.NO_SAMPLES, "no usable " + job.split() + " sample in "
                    + streamConfig.topics().describe(split) + " (" + summary + ")", summary);
        }
        results.sort(Comparator.comparing(Evaluation.SampleResult::id));
        CorpusScore.Summary totals = score.summary();
        Evaluation.Scores scores = new Evaluation.Scores(totals.wer(), totals.sentenceErrorRate(), totals.substitutions(),
                totals.deletions(), totals.insertions(), totals.referenceLength(), totals.hypothesisLength(),
                totals.sentences(), totals.sentenceErrors());
        LOG.infof("evaluation %s of %s on %s with %s: %s in %d ms", job.id(), ref, job.split(), job.decoder(), score,
                (System.nanoTime() - started) / 1_000_000);
        return job.completed(checkpoint.normalization(), scores, dataSummary(summary), results);
    }

    public Evaluation.DataSummary dataSummary(PassSummary summary) {
        return summary == null ? null : new Evaluation.DataSummary(streamConfig.topics().describe(summary.split()), summary.read(), summary.kept(),
                summary.refused(), summary.duplicates(), summary.stamps());
    }

    @Override
    public void close() {
        resetStream();
    }

    private FeatureStream stream() {
        if (stream == null) {
            stream = new FeatureStream(streamConfig);
        }
        return stream;
    }

    private void resetStream() {
        if (stream != null) {
            try {
                stream.close();
            } catch (RuntimeException e) {
                LOG.debugf("closing the feature stream: %s", e.getMessage());
            }
            stream = null;
        }
    }

    record LoadedCheckpoint(CheckpointManifest manifest, Vocabulary vocabulary, TeacherConfig config, byte[] parameters,
            String normalization) {
    }

    private LoadedCheckpoint load(CheckpointRef ref) {
        CheckpointManifest manifest;
        try {
            manifest = checkpoints.manifest(ref).orElseThrow(() -> new EvaluationFailure(Reasons.CHECKPOINT_UNREADABLE,
                    "no complete checkpoint at " + ref.prefix() + " (no manifest) in bucket " + checkpoints.bucket(),
                    null));
        } catch (CheckpointException e) {
            throw new EvaluationFailure(Reasons.CHECKPOINT_UNREADABLE, e.getMessage(), null);
        }
        String normalization = manifest.normalization();
        if (normalization == null || normalization.isBlank() || "none".equals(normalization)) {
            throw new EvaluationFailure(Reasons.CHECKPOINT_NOT_NORMALIZED, "checkpoint " + ref
                    + " does not name the normalization of its training data ('" + normalization
                    + "'): it cannot be matched against the data", null);
        }
        try {
            Vocabulary vocabulary = Vocabulary.fromJson(checkpoints.read(ref, CheckpointFiles.VOCABULARY));
            TeacherConfig config = TeacherConfig.fromJson(checkpoints.read(ref, CheckpointFiles.CONFIG));
            byte[] parameters = checkpoints.read(ref, CheckpointFiles.PARAMETERS);
            checkNormalizationFile(ref, manifest, normalization);
            return new LoadedCheckpoint(manifest, vocabulary, config, parameters, normalization);
        } catch (io.signstream.checkpoint.CheckpointIntegrityException e) {
            markDamaged(ref);
            throw new EvaluationFailure(Reasons.CHECKPOINT_UNREADABLE, "checkpoint " + ref + ": " + e.getMessage()
                    + " (marked " + CheckpointFiles.CORRUPTED + ", kept)", null);
        } catch (CheckpointException | IllegalArgumentException e) {
            throw new EvaluationFailure(Reasons.CHECKPOINT_UNREADABLE, "checkpoint " + ref + ": " + e.getMessage(), null);
        }
    }

    /** A file failed its manifest check: the whole checkpoint is inspected and marked, so nobody trusts it again. */
    private void markDamaged(CheckpointRef ref) {
        try {
            checkpoints.inspect(ref, EvaluationService.DETECTED_BY).ifPresent(damage -> LOG.warnf(
                    "checkpoint %s fails its manifest check, marked %s (kept): %s", ref, CheckpointFiles.CORRUPTED,
                    damage.summary()));
        } catch (CheckpointException e) {
            LOG.warnf("checkpoint %s failed its manifest check and could not be marked: %s", ref, e.getMessage());
        }
    }

    /** normalization.json (the trainer writes {"description", "state", "method", ...}) must agree with the manifest. */
    private void checkNormalizationFile(CheckpointRef ref, CheckpointManifest manifest, String normalization) {
        if (manifest.file(CheckpointFiles.NORMALIZATION).isEmpty()) {
            return;
        }
        JsonNode file;
        try {
            file = JSON.readTree(checkpoints.read(ref, CheckpointFiles.NORMALIZATION));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(CheckpointFiles.NORMALIZATION + " is not JSON: " + e.getMessage(), e);
        }
        JsonNode description = file == null ? null : file.get("description");
        if (description != null && description.isTextual() && !description.asText().equals(normalization)) {
            throw new IllegalArgumentException(CheckpointFiles.NORMALIZATION + " says " + description.asText()
                    + " but the manifest says " + normalization);
        }
    }

    private TeacherSession openSession(CheckpointRef ref, LoadedCheckpoint checkpoint) {
        TeacherSession session = null;
        try {
            session = TeacherSession.create(checkpoint.config(), checkpoint.vocabulary().size(), seed);
            session.loadParameters(new ByteArrayInputStream(checkpoint.parameters()));
            LOG.infof("loaded %s: %d parameters, %d glosses, on %s", ref, session.parameterCount(),
                    checkpoint.vocabulary().size(), session.device());
            return session;
        } catch (Exception e) {
            if (session != null) {
                session.close();
            }
            throw new EvaluationFailure(Reasons.MODEL_ERROR, "cannot load the parameters of " + ref + " into the teacher: "
                    + e.getMessage(), null);
        }
    }

    private static void decode(TeacherSession session, Vocabulary vocabulary, DecoderSpec decoder,
            List<NormalizedSample> batch, CorpusScore score, List<Evaluation.SampleResult> results) {
        List<float[]> features = new ArrayList<>(batch.size());
        batch.forEach(sample -> features.add(sample.features()));
        List<float[][]> logProbs;
        try {
            logProbs = session.logProbs(TeacherBatch.pad(features, null));
        } catch (RuntimeException e) {
            throw new EvaluationFailure(Reasons.MODEL_ERROR, "the teacher failed on samples "
                    + batch.stream().map(NormalizedSample::id).toList() + ": " + e.getMessage(), null);
        }
        for (int i = 0; i < batch.size(); i++) {
            NormalizedSample sample = batch.get(i);
            int[] ids = decoder.isBeam() ? CtcDecoder.beamSearch(logProbs.get(i), decoder.beamWidth())
                    : CtcDecoder.greedy(logProbs.get(i));
            List<String> hypothesis = vocabulary.decode(ids);
            score.add(sample.id(), sample.glosses(), hypothesis);
            results.add(result(score.sample(sample.id()).orElseThrow()));
        }
    }

    private static Evaluation.SampleResult result(SampleScore scored) {
        var alignment = scored.alignment();
        List<Evaluation.AlignedStep> steps = new ArrayList<>(alignment.pairs().size());
        for (AlignedPair pair : alignment.pairs()) {
            steps.add(new Evaluation.AlignedStep(pair.operation().name(), pair.reference(), pair.hypothesis()));
        }
        return new Evaluation.SampleResult(scored.sampleId(), Glosses.join(alignment.reference()),
                Glosses.join(alignment.hypothesis()), alignment.substitutions(), alignment.deletions(),
                alignment.insertions(), alignment.referenceLength(), steps);
    }
}
