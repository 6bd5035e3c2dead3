package io.signstream.trainer.messaging;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.jboss.logging.Logger;

import io.signstream.contract.FeatureDerivations;
import io.signstream.contract.NormalizationStamps;
import io.signstream.contract.proto.NormalizationStamp;
import io.signstream.contract.proto.Split;
import io.signstream.featurestream.FeatureStream;
import io.signstream.featurestream.FeatureStreamConfig;
import io.signstream.featurestream.NormalizedSample;
import io.signstream.featurestream.PassRequest;
import io.signstream.featurestream.PassSummary;
import io.signstream.featurestream.SamplePass;
import io.signstream.scoring.Vocabulary;
import io.signstream.teacher.TeacherConfig;
import io.signstream.trainer.domain.Feasibility;
import io.signstream.trainer.domain.SamplePreparer;

/**
 * The pass over the train split before epoch 1: which normalization the run trains on, its vocabulary, and how
 * many samples an epoch has. Unstamped records are refused by the feature stream. When records of the split carry
 * different normalization arithmetic, the run takes the one most samples carry and refuses the rest (counted) in
 * this pass and every epoch: one run never mixes normalizations.
 * <p>
 * The same pass counts the samples the run's model cannot align at its temporal stride, and at the other strides
 * ({@link Feasibility}); a run whose share exceeds its {@code maxUnalignableShare} is refused here, before the model
 * is built ({@link Feasibility.UnalignableSamplesException}, naming the share and a stride that fits).
 */
public final class VocabularyScan {

    private static final Logger LOG = Logger.getLogger(VocabularyScan.class);

    /**
     * @param samples usable samples with the chosen stamp: an epoch's size
     * @param refused refused records by reason, mixed normalizations as NORMALIZATION_MISMATCH
     * @param skipped usable-stamped samples the run cannot learn from, by reason
     * @param feasibility unalignable samples of the chosen normalization at the run's stride and the others
     */
    public record Result(Vocabulary vocabulary, NormalizationStamp stamp, String normalization, long samples,
            Map<String, Long> refused, Map<String, Long> skipped, PassSummary pass, Feasibility feasibility) {
    }

    private static final class Group {
        NormalizationStamp stamp;
        final List<List<String>> annotations = new ArrayList<>();
        final Feasibility.Tally tally;

        Group(TeacherConfig model) {
            tally = new Feasibility.Tally(model);
        }
    }

    private VocabularyScan() {
    }

    /**
     * Reads the whole train split once; throws when no sample can be trained on, and
     * {@link Feasibility.UnalignableSamplesException} when more than {@code maxUnalignableShare} of the samples
     * cannot be aligned at {@code model}'s temporal stride.
     */
    public static Result run(FeatureStreamConfig config, int maxFrames, TeacherConfig model,
            double maxUnalignableShare) {
        Map<String, Group> groups = new LinkedHashMap<>();
        Map<String, Long> skipped = new TreeMap<>();
        PassSummary summary;
        try (FeatureStream stream = new FeatureStream(config); SamplePass pass = stream.open(PassRequest.of(Split.TRAIN))) {
            while (pass.hasNext()) {
                NormalizedSample sample = pass.next();
                String reason = SamplePreparer.shapeReason(sample.glosses(), sample.frames(), maxFrames);
                if (reason != null) {
                    skipped.merge(reason, 1L, Long::sum);
                    continue;
                }
                Group group = groups.computeIfAbsent(NormalizationStamps.describe(sample.stamp()),
                        d -> new Group(model));
                if (group.stamp == null) {
                    group.stamp = sample.stamp();
                }
                group.tally.add(sample.glosses(), sample.frames());
                reason = SamplePreparer.unusableReason(model, sample.glosses(), sample.frames(), maxFrames);
                if (reason != null) {
                    skipped.merge(reason, 1L, Long::sum);
                    continue;
                }
                group.annotations.add(sample.glosses());
            }
            summary = pass.summary();
        }
        Map<String, Long> refused = new TreeMap<>(summary.refused());
        if (groups.isEmpty()) {
            throw new IllegalStateException("no usable TRAIN sample on " + config.topics().describe(Split.TRAIN) + ": " + summary
                    + (skipped.isEmpty() ? "" : ", skipped " + skipped)
                    + " (only normalization-service output, stamped NORMALIZED, is trained on)");
        }
        String chosen = null;
        for (Map.Entry<String, Group> entry : groups.entrySet()) {
            if (chosen == null || entry.getValue().annotations.size() > groups.get(chosen).annotations.size()
                    || (entry.getValue().annotations.size() == groups.get(chosen).annotations.size()
                            && entry.getValue().tally.samples() > groups.get(chosen).tally.samples())) {
                chosen = entry.getKey();
            }
        }
        Group group = groups.get(chosen);
        Feasibility feasibility = group.tally.result(model.temporalStride(), maxUnalignableShare);
        if (!feasibility.withinLimit()) {
            LOG.warnf("refusing the run: %s", feasibility.refusal());
            throw new Feasibility.UnalignableSamplesException(feasibility);
        }
        if (group.annotations.isEmpty()) {
            throw new IllegalStateException("no usable TRAIN sample on " + config.topics().describe(Split.TRAIN) + ": " + summary
                    + ", skipped " + skipped + " (" + feasibility.summary() + ")");
        }
        for (Map.Entry<String, Group> entry : groups.entrySet()) {
            if (!entry.getKey().equals(chosen)) {
                int count = entry.getValue().annotations.size();
                refused.merge("NORMALIZATION_MISMATCH", (long) count, Long::sum);
                LOG.warnf("refusing %d TRAIN samples normalized with %s: the run trains on %s (most samples); "
                        + "one run never mixes normalizations", count, entry.getKey(), chosen);
            }
        }
        if (summary.derivations().size() > 1) {
            // Not refused: derived and uploaded features can be the same layout on purpose; the run status shows the
            // mix (featureDerivations) so it is never trained on unknowingly.
            LOG.warnf("the train split mixes features made in different ways %s (derivation@version or %s): the run "
                    + "trains on all of them", new TreeMap<>(summary.derivations()), FeatureDerivations.AS_UPLOADED);
        }
        Vocabulary vocabulary = Vocabulary.fromGlossSequences(group.annotations);
        LOG.infof("train split: %d usable samples normalized with %s, %d glosses; %s; skipped %s; %s (limit %s, "
                + "unalignable by stride %s)", group.annotations.size(), chosen, vocabulary.size(), summary, skipped,
                feasibility.summary(), feasibility.maxUnalignableShare(), feasibility.unalignableByStride());
        return new Result(vocabulary, group.stamp, chosen, group.annotations.size(), refused, skipped, summary,
                feasibility);
    }
}
