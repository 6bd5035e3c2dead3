package io.signstream.teacher.diagnostics;

import io.signstream.contract.FeatureLayout;
import io.signstream.contract.Modality;
import io.signstream.teacher.TeacherBatch;
import io.signstream.teacher.TeacherSession;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The research seed's diagnostics, as plain records (the trainer serves them over REST): feature statistics,
 * forward-pass stability, gradient flow, batch-size effect and per-modality forward. None of them updates
 * parameters; gradient probes leave no gradient behind.
 */
public final class TeacherDiagnostics {

    /** Gradient norms below this count as vanishing, above {@link #EXPLODING} as exploding. */
    public static final double VANISHING = 1e-7;
    public static final double EXPLODING = 1e3;

    /** Statistics of one column range over a batch's valid frames. */
    public record ColumnStatistics(String name, long values, double mean, double std, double min, double max,
            long nonFinite, double zeroFraction) {}

    /** Per-modality and overall statistics of the features (padding excluded). */
    public record FeatureStatistics(int batchSize, int validFrames, List<ColumnStatistics> modalities,
            ColumnStatistics overall) {}

    /**
     * Forward pass on valid output frames.
     *
     * @param finite no NaN or infinity anywhere
     * @param minLogProb smallest log-probability
     * @param maxLogProb largest log-probability
     * @param meanConfidence mean over frames of the top class probability
     * @param blankFraction share of frames whose top class is the blank
     */
    public record ForwardStability(boolean finite, long nonFiniteValues, int outputFrames, double minLogProb,
            double maxLogProb, double meanConfidence, double blankFraction) {}

    /** Gradient norms per top-level block after one backward pass. */
    public record GradientFlow(double loss, double gradNorm, Map<String, Double> blockNorms, List<String> vanishing,
            List<String> exploding, String skipReason) {}

    public record BatchSizePoint(int batchSize, double loss, double gradNorm) {}

    /** Loss and gradient norm of the same samples in batches of 1, 2 and 4. */
    public record BatchSizeEffect(List<BatchSizePoint> points) {}

    /** The forward pass with only one modality's columns kept (others zeroed). */
    public record ModalityForward(String modality, float gate, ForwardStability stability,
            double meanAbsLogProbChange) {}

    public record Report(String device, long parameterCount, FeatureStatistics features, ForwardStability forward,
            GradientFlow gradients, BatchSizeEffect batchSizes, List<ModalityForward> modalities) {}

    private TeacherDiagnostics() {}

    /** Everything at once; {@code batch} needs targets for the gradient parts. */
    public static Report run(TeacherSession session, TeacherBatch batch) {
        return new Report(session.device(), session.parameterCount(), featureStatistics(batch),
                forwardStability(session, batch), gradientFlow(session, batch), batchSizeEffect(session, batch),
                perModalityForward(session, batch));
    }

    public static FeatureStatistics featureStatistics(TeacherBatch batch) {
        List<ColumnStatistics> modalities = new ArrayList<>();
        for (Modality modality : Modality.values()) {
            modalities.add(columns(batch, modality.name().toLowerCase(java.util.Locale.ROOT), modality.start(),
                    modality.end()));
        }
        int frames = 0;
        for (int length : batch.frameLengths()) {
            frames += length;
        }
        return new FeatureStatistics(batch.batchSize(), frames, modalities,
                columns(batch, "all", 0, FeatureLayout.DIMS));
    }

    private static ColumnStatistics columns(TeacherBatch batch, String name, int from, int to) {
        long count = 0;
        long nonFinite = 0;
        long zeros = 0;
        double sum = 0;
        double sumSquares = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        float[] x = batch.features();
        for (int b = 0; b < batch.batchSize(); b++) {
            for (int t = 0; t < batch.frameLengths()[b]; t++) {
                int row = (b * batch.maxFrames() + t) * FeatureLayout.DIMS;
                for (int c = from; c < to; c++) {
                    float v = x[row + c];
                    if (!Float.isFinite(v)) {
                        nonFinite++;
                        continue;
                    }
                    count++;
                    sum += v;
                    sumSquares += (double) v * v;
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                    if (v == 0f) {
                        zeros++;
                    }
                }
            }
        }
        double mean = count == 0 ? Double.NaN : sum / count;
        double variance = count == 0 ? Double.NaN : Math.max(0, sumSquares / count - mean * mean);
        return new ColumnStatistics(name, count, mean, Math.sqrt(variance), min, max, nonFinite,
                count == 0 ? Double.NaN : (double) zeros / count);
    }

    public static ForwardStability forwardStability(TeacherSession session, TeacherBatch batch) {
        return stability(session.logProbs(batch.withoutTargets()));
    }

    private static ForwardStability stability(List<float[][]> logProbs) {
        long nonFinite = 0;
        int frames = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double confidence = 0;
        int blanks = 0;
        for (float[][] sample : logProbs) {
            for (float[] row : sample) {
                frames++;
                int best = 0;
                for (int c = 0; c < row.length; c++) {
                    if (!Float.isFinite(row[c])) {
                        nonFinite++;
                        continue;
                    }
                    min = Math.min(min, row[c]);
                    max = Math.max(max, row[c]);
                    if (row[c] > row[best]) {
                        best = c;
                    }
                }
                confidence += Math.exp(row[best]);
                blanks += best == 0 ? 1 : 0;
            }
        }
        return new ForwardStability(nonFinite == 0, nonFinite, frames, min, max,
                frames == 0 ? Double.NaN : confidence / frames, frames == 0 ? Double.NaN : (double) blanks / frames);
    }

    public static GradientFlow gradientFlow(TeacherSession session, TeacherBatch batch) {
        TeacherSession.GradientProbe probe = session.probeGradients(batch);
        List<String> vanishing = new ArrayList<>();
        List<String> exploding = new ArrayList<>();
        probe.blockNorms().forEach((block, norm) -> {
            if (!(norm >= VANISHING)) {
                vanishing.add(block);
            }
            if (!(norm <= EXPLODING)) {
                exploding.add(block);
            }
        });
        return new GradientFlow(probe.loss(), probe.gradNorm(), new LinkedHashMap<>(probe.blockNorms()), vanishing,
                exploding, probe.skipReason());
    }

    /** Batches of the first 1, 2 and 4 samples (cycling through the batch when it has fewer). */
    public static BatchSizeEffect batchSizeEffect(TeacherSession session, TeacherBatch batch) {
        List<BatchSizePoint> points = new ArrayList<>();
        for (int size : new int[] {1, 2, 4}) {
            TeacherBatch sub = subBatch(batch, size);
            TeacherSession.GradientProbe probe = session.probeGradients(sub);
            points.add(new BatchSizePoint(size, probe.loss(), probe.gradNorm()));
        }
        return new BatchSizeEffect(points);
    }

    static TeacherBatch subBatch(TeacherBatch batch, int size) {
        int frameValues = batch.maxFrames() * FeatureLayout.DIMS;
        float[] features = new float[size * frameValues];
        int[] lengths = new int[size];
        int[][] targets = batch.targets() == null ? null : new int[size][];
        for (int i = 0; i < size; i++) {
            int source = i % batch.batchSize();
            System.arraycopy(batch.features(), source * frameValues, features, i * frameValues, frameValues);
            lengths[i] = batch.frameLengths()[source];
            if (targets != null) {
                targets[i] = batch.targets()[source];
            }
        }
        return new TeacherBatch(features, size, batch.maxFrames(), lengths, targets);
    }

    public static List<ModalityForward> perModalityForward(TeacherSession session, TeacherBatch batch) {
        List<float[][]> full = session.logProbs(batch.withoutTargets());
        Map<Modality, Float> gates = new LinkedHashMap<>();
        session.block().fusion().encoders().forEach(e -> gates.put(e.modality(), e.gateValue()));
        List<ModalityForward> results = new ArrayList<>();
        for (Modality kept : Modality.values()) {
            float[] features = batch.features().clone();
            for (int row = 0; row < batch.batchSize() * batch.maxFrames(); row++) {
                int offset = row * FeatureLayout.DIMS;
                for (Modality other : Modality.values()) {
                    if (other != kept) {
                        java.util.Arrays.fill(features, offset + other.start(), offset + other.end(), 0f);
                    }
                }
            }
            TeacherBatch only = new TeacherBatch(features, batch.batchSize(), batch.maxFrames(), batch.frameLengths(),
                    null);
            List<float[][]> out = session.logProbs(only);
            results.add(new ModalityForward(kept.name().toLowerCase(java.util.Locale.ROOT), gates.get(kept),
                    stability(out), meanAbsDifference(full, out)));
        }
        return results;
    }

    private static double meanAbsDifference(List<float[][]> a, List<float[][]> b) {
        double sum = 0;
        long count = 0;
        for (int s = 0; s < a.size(); s++) {
            for (int t = 0; t < a.get(s).length; t++) {
                for (int c = 0; c < a.get(s)[t].length; c++) {
                    sum += Math.abs(a.get(s)[t][c] - b.get(s)[t][c]);
                    count++;
                }
            }
        }
        return count == 0 ? Double.NaN : sum / count;
    }
}
