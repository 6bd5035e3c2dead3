package io.signstream.trainer.domain;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.signstream.contract.FeatureLayout;
import io.signstream.contract.NormalizationStamps;
import io.signstream.featurestream.NormalizedSample;
import io.signstream.scoring.Vocabulary;
import io.signstream.teacher.TeacherBatch;
import io.signstream.teacher.TeacherConfig;
import io.signstream.teacher.TeacherSession;
import io.signstream.teacher.diagnostics.OverfitCheck;
import io.signstream.teacher.diagnostics.TeacherDiagnostics;

/**
 * The seed project's diagnostics on samples of the normalized stream. The model checks (feature statistics per
 * modality, forward stability, gradient flow per block, batch-size effect 1/2/4, per-modality forward, overfit check)
 * are teacher-model's {@link TeacherDiagnostics} and {@link OverfitCheck}; this adds what only the data side can
 * tell: whether the samples look normalized exactly once.
 */
public final class Diagnostics {

    /**
     * @param overfitSamples samples in the overfit batch
     * @param overfitMaxSteps give up after this many steps
     * @param overfitLearningRate constant learning rate of the overfit check
     */
    public record Options(TeacherConfig model, long seed, int overfitSamples, int overfitMaxSteps,
            float overfitLearningRate) {
    }

    /**
     * @param maxAbsChannelMean largest |mean over time| of any channel of any sample (0 after a per-sample z-score)
     * @param unitStdChannels share of moving channels whose std over time is within 1 +- 0.05
     * @param renormalizationMaxChange how much one more per-sample z-score would change any value (0 = idempotent)
     */
    public record NormalizationCheck(Map<String, Long> stamps, double maxAbsChannelMean, double unitStdChannels,
            double renormalizationMaxChange, String verdict) {
    }

    public record Report(int samples, NormalizationCheck normalization, TeacherDiagnostics.Report model,
            OverfitCheck.Result overfit) {
    }

    private Diagnostics() {
    }

    public static Report run(List<NormalizedSample> samples, Options options, TrainingRun.SessionFactory sessions) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("no samples to diagnose");
        }
        Vocabulary vocabulary = Vocabulary.fromGlossSequences(samples.stream().map(NormalizedSample::glosses).toList());
        NormalizationCheck normalization = normalizationCheck(samples);
        TeacherDiagnostics.Report model;
        try (TeacherSession session = sessions.create(options.model(), vocabulary.size(), options.seed())) {
            model = TeacherDiagnostics.run(session, batch(samples, vocabulary));
        }
        OverfitCheck.Result overfit;
        List<NormalizedSample> few = samples.subList(0, Math.min(options.overfitSamples(), samples.size()));
        try (TeacherSession session = sessions.create(options.model().withDropout(0f), vocabulary.size(),
                options.seed())) {
            overfit = OverfitCheck.run(session, batch(few, vocabulary), options.overfitMaxSteps(),
                    options.overfitLearningRate());
        }
        return new Report(samples.size(), normalization, model, overfit);
    }

    static TeacherBatch batch(List<NormalizedSample> samples, Vocabulary vocabulary) {
        return TeacherBatch.pad(samples.stream().map(NormalizedSample::features).toList(),
                samples.stream().map(s -> vocabulary.encode(s.glosses())).toList());
    }

    static NormalizationCheck normalizationCheck(List<NormalizedSample> samples) {
        Map<String, Long> stamps = new TreeMap<>();
        double maxAbsMean = 0;
        long moving = 0;
        long unit = 0;
        double maxChange = 0;
        int d = FeatureLayout.DIMS;
        for (NormalizedSample sample : samples) {
            stamps.merge(NormalizationStamps.describe(sample.stamp()), 1L, Long::sum);
            int frames = sample.frames();
            float[] x = sample.features();
            for (int c = 0; c < d; c++) {
                double mean = 0;
                for (int t = 0; t < frames; t++) {
                    mean += x[t * d + c];
                }
                mean /= frames;
                double variance = 0;
                for (int t = 0; t < frames; t++) {
                    double dev = x[t * d + c] - mean;
                    variance += dev * dev;
                }
                double std = Math.sqrt(variance / frames);
                maxAbsMean = Math.max(maxAbsMean, Math.abs(mean));
                if (std > 1e-3) {
                    moving++;
                    if (Math.abs(std - 1) <= 0.05) {
                        unit++;
                    }
                    for (int t = 0; t < frames; t++) {
                        maxChange = Math.max(maxChange, Math.abs((x[t * d + c] - mean) / std - x[t * d + c]));
                    }
                } else {
                    for (int t = 0; t < frames; t++) {
                        maxChange = Math.max(maxChange, Math.abs(x[t * d + c]));
                    }
                }
            }
        }
        double unitShare = moving == 0 ? 0 : (double) unit / moving;
        String verdict = maxAbsMean < 1e-3 && unitShare > 0.95 && maxChange < 1e-2
                ? "per-sample per-channel z-scored exactly once: another z-score would change nothing"
                : "not per-sample z-scored (channel means up to " + maxAbsMean + ", " + Math.round(unitShare * 100)
                        + "% of moving channels at unit std): fine for other methods, but no step may normalize again";
        return new NormalizationCheck(stamps, maxAbsMean, unitShare, maxChange, verdict);
    }
}
