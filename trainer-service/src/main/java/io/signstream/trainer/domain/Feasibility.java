package io.signstream.trainer.domain;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import io.signstream.teacher.TeacherConfig;

/**
 * How many train samples of a run cannot be aligned at its model's temporal stride: after the stride, fewer output
 * frames remain than CTC needs for the sample's glosses (one per gloss plus a blank between equal neighbours, see
 * {@link io.signstream.teacher.ctc.CtcLoss#requiredFrames(java.util.List)}). Counted by the run-start scan of the train split over the samples of the
 * run's normalization that have glosses and are not too long, at the run's stride and at every other stride the
 * model can be built with, so a refusal can name the stride that would fit.
 *
 * @param temporalStride the run's model stride
 * @param samples samples looked at (the denominator of the share)
 * @param unalignable those that cannot be aligned at {@code temporalStride} (skipped as TOO_SHORT_FOR_GLOSSES)
 * @param unalignableShare {@code unalignable / samples}, 0 without samples
 * @param maxUnalignableShare the run's limit: above it the run is refused
 * @param unalignableByStride unalignable samples at each stride 1, 4 and 16
 * @param fittingStride the largest stride whose share is within the limit, null when none is
 */
public record Feasibility(
        int temporalStride,
        long samples,
        long unalignable,
        double unalignableShare,
        double maxUnalignableShare,
        Map<Integer, Long> unalignableByStride,
        Integer fittingStride) {

    /** The failure reason of a run refused for too many unalignable samples. */
    public static final String UNALIGNABLE_SAMPLES = "UNALIGNABLE_SAMPLES";

    /** Default of {@code signstream.trainer.max-unalignable-share}. */
    public static final double DEFAULT_MAX_UNALIGNABLE_SHARE = 0.05;

    /** A run's train split holds more unalignable samples than its limit allows. */
    public static final class UnalignableSamplesException extends IllegalStateException {
        private final Feasibility feasibility;

        public UnalignableSamplesException(Feasibility feasibility) {
            super(feasibility.refusal());
            this.feasibility = feasibility;
        }

        public Feasibility feasibility() {
            return feasibility;
        }
    }

    public Feasibility {
        unalignableByStride = unalignableByStride == null ? Map.of() : Map.copyOf(unalignableByStride);
    }

    /** Counts, sample by sample, which strides can align it. */
    public static final class Tally {
        private final Map<Integer, TeacherConfig> atStride = new LinkedHashMap<>();
        private final Map<Integer, Long> unalignable = new TreeMap<>();
        private long samples;

        public Tally(TeacherConfig model) {
            for (int stride : TeacherConfig.TEMPORAL_STRIDES) {
                atStride.put(stride, model.withTemporalStride(stride));
                unalignable.put(stride, 0L);
            }
        }

        /** Records one sample that has glosses and is not too long. */
        public void add(List<String> glosses, int frames) {
            samples++;
            int required = io.signstream.teacher.ctc.CtcLoss.requiredFrames(glosses);
            for (Map.Entry<Integer, TeacherConfig> stride : atStride.entrySet()) {
                if (stride.getValue().outputLength(frames) < required) {
                    unalignable.merge(stride.getKey(), 1L, Long::sum);
                }
            }
        }

        public long samples() {
            return samples;
        }

        public Feasibility result(int temporalStride, double maxUnalignableShare) {
            return of(temporalStride, samples, unalignable, maxUnalignableShare);
        }
    }

    /** From the counts at every stride. */
    public static Feasibility of(int temporalStride, long samples, Map<Integer, Long> unalignableByStride,
            double maxUnalignableShare) {
        long count = unalignableByStride.getOrDefault(temporalStride, 0L);
        Integer fitting = null;
        for (int stride : TeacherConfig.TEMPORAL_STRIDES) {
            if (share(unalignableByStride.getOrDefault(stride, 0L), samples) <= maxUnalignableShare
                    && (fitting == null || stride > fitting)) {
                fitting = stride;
            }
        }
        return new Feasibility(temporalStride, samples, count, share(count, samples), maxUnalignableShare,
                unalignableByStride, fitting);
    }

    private static double share(long count, long samples) {
        return samples == 0 ? 0.0 : (double) count / samples;
    }

    /** Whether the run may train: the share at its stride is within its limit. */
    public boolean withinLimit() {
        return unalignableShare <= maxUnalignableShare;
    }

    /** "3 of 120 train samples (2.5%) cannot be aligned at temporalStride 16". */
    public String summary() {
        return unalignable + " of " + samples + " train samples (" + percent(unalignableShare)
                + ") cannot be aligned at temporalStride " + temporalStride;
    }

    /** Why a run over the limit is refused, and the stride that would fit. */
    public String refusal() {
        String advice;
        if (fittingStride != null) {
            advice = "temporalStride " + fittingStride + " fits (" + unalignableByStride.getOrDefault(fittingStride, 0L)
                    + " unalignable, " + percent(share(unalignableByStride.getOrDefault(fittingStride, 0L), samples))
                    + "): start the run with \"temporalStride\": " + fittingStride
                    + ", or raise \"maxUnalignableShare\"";
        } else {
            advice = "no temporalStride fits (at 1: " + percent(share(unalignableByStride.getOrDefault(1, 0L), samples))
                    + "): the samples have fewer frames than glosses; check the data or raise \"maxUnalignableShare\"";
        }
        return summary() + " (fewer output frames than their glosses need: one per gloss plus a blank between "
                + "repeats), more than the allowed " + percent(maxUnalignableShare) + "; " + advice;
    }

    /** For training events: temporal_stride, unalignable_samples, unalignable_share. */
    public Map<String, Double> metrics() {
        Map<String, Double> metrics = new TreeMap<>();
        metrics.put("temporal_stride", (double) temporalStride);
        metrics.put("unalignable_samples", (double) unalignable);
        metrics.put("unalignable_share", unalignableShare);
        return metrics;
    }

    static String percent(double share) {
        if (share > 0 && share < 0.001) {
            return "<0.1%";
        }
        return String.format(Locale.ROOT, "%.1f%%", 100 * share);
    }
}
