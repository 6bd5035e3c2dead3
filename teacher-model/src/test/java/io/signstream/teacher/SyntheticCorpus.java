package io.signstream.teacher;

import io.signstream.featurenormalization.Normalization;
import io.signstream.featurenormalization.Normalizations;
import io.signstream.featurenormalization.PerChannelZScore;
import io.signstream.featurenormalization.PerSampleZScore;

import io.signstream.contract.FeatureLayout;
import io.signstream.contract.proto.Split;
import io.signstream.localstack.synthetic.SyntheticDataset;
import io.signstream.localstack.synthetic.SyntheticOptions;
import io.signstream.localstack.synthetic.SyntheticSample;
import io.signstream.localstack.synthetic.SyntheticSource;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo's synthetic data as the trainer sees it: {@link SyntheticDataset} samples normalized with the
 * normalization service's default (the shared {@link PerChannelZScore}, version 2), glosses mapped to ids 1..V in
 * the data set's gloss order.
 */
public final class SyntheticCorpus {

    /** One normalized sample with its target ids. */
    public record Sample(String id, float[] features, int frames, int[] targets) {
        /** Frames CTC needs for the targets: one per gloss plus a blank between equal neighbours. */
        public int requiredFrames() {
            return io.signstream.teacher.ctc.CtcLoss.requiredFrames(targets);
        }
    }

    private static final Normalization PER_CHANNEL = Normalizations.create(PerChannelZScore.METHOD);
    private static final Normalization PER_SAMPLE = Normalizations.create(PerSampleZScore.METHOD);

    private final SyntheticSource dataset;

    public SyntheticCorpus(SyntheticOptions options) {
        this(new SyntheticDataset(options));
    }

    public SyntheticCorpus(SyntheticSource source) {
        this.dataset = source;
    }

    public int vocabularySize() {
        return dataset.glosses().size();
    }

    public List<Sample> samples(Split split, int count) {
        List<Sample> samples = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            SyntheticSample raw = dataset.sample(split, i);
            int[] targets = raw.glosses().stream().mapToInt(g -> dataset.glosses().indexOf(g) + 1).toArray();
            samples.add(new Sample(raw.id(), normalize(raw.features(), raw.frames()), raw.frames(), targets));
        }
        return samples;
    }

    /** Batches of consecutive samples, padded to the longest of each batch. */
    public static List<TeacherBatch> batches(List<Sample> samples, int batchSize) {
        List<TeacherBatch> batches = new ArrayList<>();
        for (int from = 0; from < samples.size(); from += batchSize) {
            List<Sample> part = samples.subList(from, Math.min(samples.size(), from + batchSize));
            batches.add(TeacherBatch.pad(part.stream().map(Sample::features).toList(),
                    part.stream().map(Sample::targets).toList()));
        }
        return batches;
    }

    /**
     * -Dcorpus.normalization=channel (default: the service's default, per sample and channel) | sample (the service's
     * per-sample method: one mean and std per sample) | none.
     */
    private static float[] normalize(float[] values, int frames) {
        return switch (System.getProperty("corpus.normalization", "channel")) {
            case "none" -> values;
            case "sample" -> PER_SAMPLE.apply(values, frames, FeatureLayout.DIMS);
            default -> PER_CHANNEL.apply(values, frames, FeatureLayout.DIMS);
        };
    }
}
