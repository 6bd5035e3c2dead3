package io.signstream.trainer.domain;

import io.signstream.contract.FeatureLayout;
import io.signstream.contract.Modality;
import io.signstream.teacher.TeacherBatch;

/**
 * Mean, standard deviation, minimum and maximum over the valid (non-padding) frames of a batch, computed in
 * double. Normalized input should show mean ~0 and std ~1; values far from that are what the seed run's
 * double normalization looked like.
 */
public record FeatureStatistics(long values, double mean, double std, double min, double max, long nonFinite) {

    public static FeatureStatistics of(TeacherBatch batch) {
        return of(batch, 0, FeatureLayout.DIMS);
    }

    public static FeatureStatistics of(TeacherBatch batch, Modality modality) {
        return of(batch, modality.start(), modality.end());
    }

    /** Over columns {@code from..to-1} of every valid frame. */
    public static FeatureStatistics of(TeacherBatch batch, int from, int to) {
        long count = 0;
        long nonFinite = 0;
        double sum = 0;
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
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        double mean = count == 0 ? Double.NaN : sum / count;
        double squares = 0;
        for (int b = 0; b < batch.batchSize(); b++) {
            for (int t = 0; t < batch.frameLengths()[b]; t++) {
                int row = (b * batch.maxFrames() + t) * FeatureLayout.DIMS;
                for (int c = from; c < to; c++) {
                    float v = x[row + c];
                    if (Float.isFinite(v)) {
                        squares += (v - mean) * (v - mean);
                    }
                }
            }
        }
        return new FeatureStatistics(count, mean, count == 0 ? Double.NaN : Math.sqrt(squares / count),
                count == 0 ? Double.NaN : min, count == 0 ? Double.NaN : max, nonFinite);
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "mean %.4f, std %.4f, min %.4f, max %.4f over %d values%s",
                mean, std, min, max, values, nonFinite == 0 ? "" : " (" + nonFinite + " non-finite)");
    }
}
