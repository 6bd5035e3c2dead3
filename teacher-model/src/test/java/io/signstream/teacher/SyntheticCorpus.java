package io.signstream.teacher;

import io.signstream.contract.FeatureLayout;
import io.signstream.contract.proto.Split;
import io.signstream.localstack.synthetic.SyntheticDataset;
import io.signstream.localstack.synthetic.SyntheticOptions;
import io.signstream.localstack.synthetic.SyntheticSample;
import io.signstream.localstack.synthetic.SyntheticSource;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo's synthetic data as the trainer sees it: {@link SyntheticDataset} samples, z-scored per sample and
 * channel over time with the normalization service's arithmetic ((x - mean) / max(std, 1e-6), population std,
 * statistics in double), glosses mapped to ids 1..V in the data set's gloss order.
 */
public final class SyntheticCorpus {

    /** The normalization service's default epsilon. */
    public static final double EPSILON = 1e-6;

    /** One normalized sample with its target ids. */
    public record Sample(String id, float[] features, int frames, int[] targets) {
        /** Frames CTC needs for the targets: one per gloss plus a blank between equal neighbours. */
        public int requiredFrames() {
            return io.signstream.teacher.ctc.CtcLoss.requiredFrames(targets);
        }
    }

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

    /** -Dcorpus.normalization=channel (default, the service's default) | sample (one mean/std per sample) | none. */
    private static float[] normalize(float[] values, int frames) {
        String method = System.getProperty("corpus.normalization", "channel");
        if (method.equals("none")) {
            return values;
        }
        if (method.equals("sample")) {
            double sum = 0;
            for (float v : values) {
                sum += v;
            }
            double mean = sum / values.length;
            double squares = 0;
            for (float v : values) {
                squares += (v - mean) * (v - mean);
            }
            double scale = 1.0 / Math.max(Math.sqrt(squares / values.length), EPSILON);
            float[] normalized = new float[values.length];
            for (int i = 0; i < values.length; i++) {
                normalized[i] = (float) ((values[i] - mean) * scale);
            }
            return normalized;
        }
        return zScore(values, frames);
    }

    /** Per channel over time: (x - mean) / max(population std, 1e-6), accumulated in double. */
    public static float[] zScore(float[] values, int frames) {
        int dims = FeatureLayout.DIMS;
        double[] mean = new double[dims];
        for (int t = 0; t < frames; t++) {
            for (int c = 0; c < dims; c++) {
                mean[c] += values[t * dims + c];
            }
        }
        for (int c = 0; c < dims; c++) {
            mean[c] /= frames;
        }
        double[] scale = new double[dims];
        for (int t = 0; t < frames; t++) {
            for (int c = 0; c < dims; c++) {
                double deviation = values[t * dims + c] - mean[c];
                scale[c] += deviation * deviation;
            }
        }
        for (int c = 0; c < dims; c++) {
            scale[c] = 1.0 / Math.max(Math.sqrt(scale[c] / frames), EPSILON);
        }
        float[] normalized = new float[values.length];
        for (int t = 0; t < frames; t++) {
            for (int c = 0; c < dims; c++) {
                normalized[t * dims + c] = (float) ((values[t * dims + c] - mean[c]) * scale[c]);
            }
        }
        return normalized;
    }
}
