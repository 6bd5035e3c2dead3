package io.signstream.trainer.domain;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.signstream.featurestream.NormalizedSample;
import io.signstream.scoring.Vocabulary;
import io.signstream.teacher.TeacherConfig;
import io.signstream.teacher.ctc.CtcLoss;

/**
 * Decides which stamped train samples a run can learn from, and encodes their glosses. Skipped samples are
 * counted by reason; none is trained on half-way (no truncation: cutting frames would cut glosses off).
 */
public final class SamplePreparer {

    /** More frames than the run's maxFrames. */
    public static final String TOO_LONG = "TOO_LONG";
    /** No gloss annotation: CTC has nothing to learn. */
    public static final String NO_GLOSSES = "NO_GLOSSES";
    /**
     * After the model's temporal stride ({@link TeacherConfig#outputLength}) fewer output frames remain than CTC
     * needs for the glosses: the sample cannot be aligned (see {@link Feasibility}).
     */
    public static final String TOO_SHORT_FOR_GLOSSES = "TOO_SHORT_FOR_GLOSSES";
    /** A gloss the run's vocabulary (built at run start) does not know: published after the run began. */
    public static final String UNKNOWN_GLOSS = "UNKNOWN_GLOSS";

    private final TeacherConfig model;
    private final Vocabulary vocabulary;
    private final int maxFrames;
    private final Map<String, Long> skipped = new TreeMap<>();

    /** @param model the run's teacher configuration: its temporal stride decides how many outputs a sample has */
    public SamplePreparer(TeacherConfig model, Vocabulary vocabulary, int maxFrames) {
        this.model = model;
        this.vocabulary = vocabulary;
        this.maxFrames = maxFrames;
    }

    /**
     * Null when a sample of this shape can be trained on by a model of this configuration, else the reason it cannot
     * (vocabulary aside).
     */
    public static String unusableReason(TeacherConfig model, List<String> glosses, int frames, int maxFrames) {
        String reason = shapeReason(glosses, frames, maxFrames);
        if (reason != null) {
            return reason;
        }
        if (model.outputLength(frames) < CtcLoss.requiredFrames(glosses)) {
            return TOO_SHORT_FOR_GLOSSES;
        }
        return null;
    }

    /** TOO_LONG or NO_GLOSSES, whatever the model; null otherwise. */
    public static String shapeReason(List<String> glosses, int frames, int maxFrames) {
        if (frames > maxFrames) {
            return TOO_LONG;
        }
        if (glosses.isEmpty()) {
            return NO_GLOSSES;
        }
        return null;
    }

    public Optional<BatchAssembler.Example> prepare(NormalizedSample sample) {
        String reason = unusableReason(model, sample.glosses(), sample.frames(), maxFrames);
        if (reason == null) {
            for (String gloss : sample.glosses()) {
                if (!vocabulary.contains(gloss)) {
                    reason = UNKNOWN_GLOSS;
                    break;
                }
            }
        }
        if (reason != null) {
            skipped.merge(reason, 1L, Long::sum);
            return Optional.empty();
        }
        return Optional.of(new BatchAssembler.Example(sample.id(), sample.features(), sample.frames(),
                vocabulary.encode(sample.glosses())));
    }

    /** Skipped samples by reason, since construction. */
    public Map<String, Long> skipped() {
        return Map.copyOf(skipped);
    }
}
