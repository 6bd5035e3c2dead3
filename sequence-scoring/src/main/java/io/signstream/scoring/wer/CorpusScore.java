package io.signstream.scoring.wer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Corpus-level scoring the way sclite sums it: counts are added over sentences and the word error rate is
 * (S+D+I) / N_ref with N_ref the total number of reference glosses, so every sentence weighs by its
 * reference length (not an average of per-sentence rates). A sentence is an error when it has any
 * substitution, deletion or insertion.
 *
 * <p>No gloss cleanup happens unless one is given: {@link #withPhoenixCleanup()} applies
 * {@link PhoenixGlossCleanup#clean(List)} to reference and hypothesis before aligning.
 *
 * <p>With no reference glosses at all (N_ref = 0) the rate is undefined: {@link #wer()} returns 0.0 when
 * there are no errors either and {@link Double#POSITIVE_INFINITY} otherwise; the counts stay exact.
 * (sclite prints word counts instead of percentages for such speakers and 0.0 in its sum row.)
 *
 * <p>Thread-safe; samples keep the order in which they were added.
 */
public final class CorpusScore {

    private final UnaryOperator<List<String>> cleanup;
    private final Map<String, SampleScore> samples = new LinkedHashMap<>();
    private long substitutions;
    private long deletions;
    private long insertions;
    private long referenceLength;
    private long hypothesisLength;
    private int sentenceErrors;

    /** Scores glosses as given. */
    public CorpusScore() {
        this(UnaryOperator.identity());
    }

    /** Applies {@code cleanup} to reference and hypothesis of every sample before aligning them. */
    public CorpusScore(UnaryOperator<List<String>> cleanup) {
        this.cleanup = Objects.requireNonNull(cleanup, "cleanup");
    }

    /** A corpus score that applies the PHOENIX-2014 evaluation cleanup to both sides. */
    public static CorpusScore withPhoenixCleanup() {
        return new CorpusScore(PhoenixGlossCleanup::clean);
    }

    /**
     * Aligns and adds one sample.
     *
     * @return the sample's alignment
     * @throws IllegalArgumentException when the sample id was added before
     */
    public synchronized Alignment add(String sampleId, List<String> reference, List<String> hypothesis) {
        Objects.requireNonNull(sampleId, "sampleId");
        if (samples.containsKey(sampleId)) {
            throw new IllegalArgumentException("sample '" + sampleId + "' was already scored in this corpus");
        }
        Alignment alignment = WordErrorRate.align(cleanup.apply(reference), cleanup.apply(hypothesis));
        samples.put(sampleId, new SampleScore(sampleId, alignment));
        substitutions += alignment.substitutions();
        deletions += alignment.deletions();
        insertions += alignment.insertions();
        referenceLength += alignment.referenceLength();
        hypothesisLength += alignment.hypothesisLength();
        if (!alignment.isCorrect()) {
            sentenceErrors++;
        }
        return alignment;
    }

    /** (S+D+I) / N_ref over the corpus; see the class comment for N_ref = 0. */
    public synchronized double wer() {
        return WordErrorRate.rate(errors(), referenceLength);
    }

    /** Sentences with at least one error / sentences; 0.0 for an empty corpus. */
    public synchronized double sentenceErrorRate() {
        return samples.isEmpty() ? 0.0 : (double) sentenceErrors / samples.size();
    }

    public synchronized long substitutions() {
        return substitutions;
    }

    public synchronized long deletions() {
        return deletions;
    }

    public synchronized long insertions() {
        return insertions;
    }

    /** S + D + I. */
    public synchronized long errors() {
        return substitutions + deletions + insertions;
    }

    /** Reference glosses recognized exactly. */
    public synchronized long corrects() {
        return referenceLength - substitutions - deletions;
    }

    /** N_ref: reference glosses over all sentences. */
    public synchronized long referenceLength() {
        return referenceLength;
    }

    /** Hypothesis glosses over all sentences. */
    public synchronized long hypothesisLength() {
        return hypothesisLength;
    }

    /** Number of sentences (samples) scored. */
    public synchronized int sentences() {
        return samples.size();
    }

    /** Sentences with at least one error. */
    public synchronized int sentenceErrors() {
        return sentenceErrors;
    }

    /** Every sample's result, in the order added. */
    public synchronized List<SampleScore> samples() {
        return List.copyOf(new ArrayList<>(samples.values()));
    }

    public synchronized Optional<SampleScore> sample(String sampleId) {
        return Optional.ofNullable(samples.get(sampleId));
    }

    /** The totals as one value, e.g. for JSON. */
    public synchronized Summary summary() {
        return new Summary(samples.size(), sentenceErrors, referenceLength, hypothesisLength, corrects(),
                substitutions, deletions, insertions, errors(), wer(), sentenceErrorRate());
    }

    /**
     * Corpus totals.
     *
     * @param wer               (S+D+I)/N_ref as a fraction (0.25 = 25 %)
     * @param sentenceErrorRate sentence errors / sentences as a fraction
     */
    public record Summary(int sentences, int sentenceErrors, long referenceLength, long hypothesisLength,
                          long corrects, long substitutions, long deletions, long insertions, long errors,
                          double wer, double sentenceErrorRate) {
    }

    @Override
    public synchronized String toString() {
        return String.format(java.util.Locale.ROOT,
                "WER %.2f%% (S=%d D=%d I=%d N_ref=%d), sentence error rate %.2f%% of %d",
                100 * wer(), substitutions, deletions, insertions, referenceLength, 100 * sentenceErrorRate(),
                samples.size());
    }
}
