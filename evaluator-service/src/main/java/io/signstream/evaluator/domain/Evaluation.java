package io.signstream.evaluator.domain;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One evaluation job and, once it is done, its result: the object stored as {@code evaluations/{id}.json}.
 * Immutable; every change of state makes a new value.
 *
 * @param trigger {@link #TRIGGER_API} or {@link #TRIGGER_TRAINING_EVENT}
 * @param split "dev" or "test"
 * @param normalization the normalization stamp description of the evaluated data (equal to the checkpoint's)
 * @param samplesDone samples decoded so far (progress while RUNNING)
 * @param samples per-sample results, sorted by sample id (only when COMPLETED)
 * @param owner the evaluator instance that queued or runs the job (its heartbeat is {@code evaluators/{owner}.json});
 *        null in jobs stored before instances had ids: such an unfinished job belongs to nobody and is taken over
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Evaluation(
        String id,
        EvaluationStatus status,
        String reason,
        String detail,
        String trigger,
        CheckpointInfo checkpoint,
        String split,
        DecoderSpec decoder,
        boolean phoenixCleanup,
        String normalization,
        Scores scores,
        DataSummary data,
        int samplesDone,
        String createdAt,
        String startedAt,
        String finishedAt,
        List<SampleResult> samples,
        String owner) {

    public static final String TRIGGER_API = "api";
    public static final String TRIGGER_TRAINING_EVENT = "training-event";

    /**
     * @param selectedAs how the request named it: "epoch", "latest" or "best"
     * @param normalization the stamp description the checkpoint was trained on (its manifest)
     * @param manifestCreatedAtEpochMs the evaluated manifest's {@code createdAtEpochMs}: which checkpoint of that
     *        epoch was evaluated (an epoch a resumed run trains again gets a new one); null in evaluations stored
     *        before it was recorded
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CheckpointInfo(String run, int epoch, String selectedAs, String normalization,
            Long manifestCreatedAtEpochMs) {

        public CheckpointInfo(String run, int epoch, String selectedAs, String normalization) {
            this(run, epoch, selectedAs, normalization, null);
        }

        /** Whether this is the checkpoint the manifest describes (true for evaluations that did not record it). */
        public boolean describes(io.signstream.checkpoint.CheckpointManifest manifest) {
            return manifestCreatedAtEpochMs == null || manifestCreatedAtEpochMs == manifest.createdAtEpochMs();
        }
    }

    /**
     * Corpus totals (sclite conventions).
     *
     * @param wer (S + D + I) / N as a fraction
     * @param ser sentences with an error / sentences
     * @param referenceLength N, the reference glosses of the split
     */
    public record Scores(double wer, double ser, long substitutions, long deletions, long insertions,
            long referenceLength, long hypothesisLength, int sentences, int sentenceErrors) {
    }

    /** What the pass over the split's normalized topics met: records read, samples used, refusals by reason. */
    public record DataSummary(String topic, long read, long kept, Map<String, Long> refused, long duplicates,
            Map<String, Long> stamps) {
    }

    /** One aligned position: op CORRECT, SUBSTITUTION, DELETION or INSERTION; ref/hyp null where absent. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AlignedStep(String op, String ref, String hyp) {
    }

    /** One sample's reference, hypothesis (space-separated glosses), error counts and alignment. */
    public record SampleResult(String id, String reference, String hypothesis, int substitutions, int deletions,
            int insertions, int referenceLength, List<AlignedStep> alignment) {
    }

    public static Evaluation queued(String id, String trigger, CheckpointInfo checkpoint, String split,
            DecoderSpec decoder, boolean phoenixCleanup) {
        return new Evaluation(id, EvaluationStatus.QUEUED, null, null, trigger, checkpoint, split, decoder,
                phoenixCleanup, null, null, null, 0, Instant.now().toString(), null, null, null, null);
    }

    public Evaluation running() {
        return new Evaluation(id, EvaluationStatus.RUNNING, null, null, trigger, checkpoint, split, decoder,
                phoenixCleanup, null, null, null, 0, createdAt, Instant.now().toString(), null, null, owner);
    }

    /** The same job queued or run by another evaluator instance. */
    public Evaluation ownedBy(String instance) {
        return new Evaluation(id, status, reason, detail, trigger, checkpoint, split, decoder, phoenixCleanup,
                normalization, scores, data, samplesDone, createdAt, startedAt, finishedAt, samples, instance);
    }

    /** Back to QUEUED (its owner died before finishing it). */
    public Evaluation requeued() {
        return new Evaluation(id, EvaluationStatus.QUEUED, null, null, trigger, checkpoint, split, decoder,
                phoenixCleanup, null, null, null, 0, createdAt, null, null, null, owner);
    }

    public Evaluation progress(int done) {
        return new Evaluation(id, status, reason, detail, trigger, checkpoint, split, decoder, phoenixCleanup,
                normalization, scores, data, done, createdAt, startedAt, finishedAt, samples, owner);
    }

    public Evaluation completed(String dataNormalization, Scores result, DataSummary pass, List<SampleResult> perSample) {
        return new Evaluation(id, EvaluationStatus.COMPLETED, null, null, trigger, checkpoint, split, decoder,
                phoenixCleanup, dataNormalization, result, pass, perSample.size(), createdAt, startedAt,
                Instant.now().toString(), List.copyOf(perSample), owner);
    }

    public Evaluation failed(String failureReason, String failureDetail, DataSummary pass) {
        return new Evaluation(id, EvaluationStatus.FAILED, failureReason, failureDetail, trigger, checkpoint, split,
                decoder, phoenixCleanup, null, null, pass, samplesDone, createdAt, startedAt, Instant.now().toString(),
                null, owner);
    }

    /** The same evaluation without per-sample results (listings, the results topic). */
    public Evaluation withoutSamples() {
        return samples == null ? this : new Evaluation(id, status, reason, detail, trigger, checkpoint, split, decoder,
                phoenixCleanup, normalization, scores, data, samplesDone, createdAt, startedAt, finishedAt, null, owner);
    }

    @JsonIgnore
    public String run() {
        return checkpoint.run();
    }

    @JsonIgnore
    public boolean isDevResultOf(String runId) {
        return status == EvaluationStatus.COMPLETED && "dev".equals(split) && checkpoint.run().equals(runId)
                && scores != null;
    }
}
