package io.signstream.teacher.benchmark;

import io.signstream.contract.proto.Split;
import io.signstream.localstack.synthetic.SyntheticOptions;
import io.signstream.scoring.wer.CorpusScore;
import io.signstream.teacher.LearningRateSchedule;
import io.signstream.teacher.StepResult;
import io.signstream.teacher.SyntheticCorpus;
import io.signstream.teacher.TeacherBatch;
import io.signstream.teacher.TeacherConfig;
import io.signstream.teacher.TeacherSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * How fast a teacher learns the demo's synthetic data ({@code SyntheticOptions.defaults()}: 30 glosses, 2-8 per
 * sentence), z-scored per sample and channel like the normalization service: train on the first N train samples
 * in length-bucketed shuffled batches with warmup (10% of the steps) + cosine, greedy WER on the dev samples
 * after every epoch ({@link CorpusScore}, gloss ids as tokens), plus grad norms and skipped steps. Not a test.
 *
 * <pre>
 * cd /work/main &amp;&amp; mvn -B -o -pl teacher-model test-compile exec:java \
 *   -Dexec.mainClass=io.signstream.teacher.benchmark.SyntheticLearningCurve -Dexec.classpathScope=test \
 *   -Dexec.args="small 12 4 1e-3 160 32 1" [-Dai.djl.pytorch.num_threads=2]
 * </pre>
 *
 * Args: preset (small|defaults), epochs, batch, peak lr, train samples, dev samples, seed. Variants (system
 * properties): {@code curve.vocabulary=V}, {@code curve.sentence=MIN,MAX}, {@code curve.framesPerGloss=MIN,MAX} change
 * the data; {@code corpus.normalization=channel|sample|none} its normalization; {@code curve.keep=HANDS,POSE} zeroes
 * the other modalities; see {@link #overrides} for the model. Writes
 * teacher-model/target/benchmarks/synthetic-learning-{preset}-v{V}.json and .md.
 */
public final class SyntheticLearningCurve {

    private static final int BUCKET_BATCHES = 8;

    record Epoch(int epoch, double meanLoss, double maxGradNorm, double medianGradNorm, int skipped, double devWer,
            double seconds) {}

    public static void main(String[] args) throws IOException {
        String preset = args.length > 0 ? args[0] : "small";
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 12;
        int batchSize = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        float lr = args.length > 3 ? Float.parseFloat(args[3]) : 1e-3f;
        int trainCount = args.length > 4 ? Integer.parseInt(args[4]) : 160;
        int devCount = args.length > 5 ? Integer.parseInt(args[5]) : 32;
        long seed = args.length > 6 ? Long.parseLong(args[6]) : 1;
        TeacherConfig config = overrides(preset.equals("defaults") ? TeacherConfig.defaults() : TeacherConfig.small());

        // The first samples of a split do not depend on how many there are.
        SyntheticOptions options = SyntheticOptions.defaults()
                .withSamples(Math.max(trainCount, 200), Math.max(devCount, 40), 40);
        if (System.getProperty("curve.vocabulary") != null) {
            options = options.withVocabularySize(Integer.parseInt(System.getProperty("curve.vocabulary")));
        }
        if (System.getProperty("curve.sentence") != null) {
            String[] range = System.getProperty("curve.sentence").split(",");
            options = options.withSentenceLength(Integer.parseInt(range[0]), Integer.parseInt(range[1]));
        }
        if (System.getProperty("curve.framesPerGloss") != null) {
            String[] range = System.getProperty("curve.framesPerGloss").split(",");
            options = options.withFramesPerGloss(Integer.parseInt(range[0]), Integer.parseInt(range[1]));
        }
        SyntheticCorpus corpus = new SyntheticCorpus(options);
        List<SyntheticCorpus.Sample> train = keep(corpus.samples(Split.TRAIN, trainCount));
        List<SyntheticCorpus.Sample> dev = keep(corpus.samples(Split.DEV, devCount));
        int stepsPerEpoch = (trainCount + batchSize - 1) / batchSize;
        int totalSteps = epochs * stepsPerEpoch;
        LearningRateSchedule schedule = new LearningRateSchedule(lr, Math.max(1, totalSteps / 10), totalSteps);
        Random random = new Random(seed);
        List<Epoch> curve = new ArrayList<>();
        long parameters;
        int step = 0;
        long started = System.nanoTime();
        try (TeacherSession session = TeacherSession.create(config, corpus.vocabularySize(), seed)) {
            parameters = session.parameterCount();
            System.out.printf(Locale.ROOT, "%s: %d parameters, %d train / %d dev samples, batch %d, lr %.1e, %d steps%n",
                    preset, parameters, trainCount, devCount, batchSize, lr, totalSteps);
            for (int epoch = 1; epoch <= epochs; epoch++) {
                long epochStart = System.nanoTime();
                double loss = 0;
                int skipped = 0;
                List<Double> norms = new ArrayList<>();
                for (TeacherBatch batch : bucketed(train, batchSize, random)) {
                    StepResult result = session.trainStep(batch, schedule.at(step++));
                    loss += result.loss();
                    skipped += result.skipped() ? 1 : 0;
                    norms.add(Double.isFinite(result.gradNorm()) ? result.gradNorm() : Double.POSITIVE_INFINITY);
                }
                Collections.sort(norms);
                double seconds = (System.nanoTime() - epochStart) / 1e9;
                Epoch row = new Epoch(epoch, loss / stepsPerEpoch, norms.get(norms.size() - 1),
                        norms.get(norms.size() / 2), skipped, devWer(session, dev, batchSize), seconds);
                curve.add(row);
                System.out.printf(Locale.ROOT, "epoch %d: loss %.4f, grad norm median %.3g max %.3g, skipped %d, dev WER "
                        + "%.1f%%, %.1f s%n", epoch, row.meanLoss(), row.medianGradNorm(), row.maxGradNorm(), skipped,
                        100 * row.devWer(), seconds);
            }
        }
        double total = (System.nanoTime() - started) / 1e9;
        write(preset + "-v" + corpus.vocabularySize(), config, parameters, trainCount, devCount, batchSize, lr, seed,
                curve, total);
    }

    /**
     * Variants without editing the presets: -Dcurve.dropout=F -Dcurve.weightDecay=F -Dcurve.lstm=HIDDEN,LAYERS
     * -Dcurve.fusion=WIDTH (token width x 4) -Dcurve.encoders=HANDS,FACE,POSE,TEMPORAL -Dcurve.inception=SCALE
     * -Dcurve.stem=CHANNELS -Dcurve.attention=true|false -Dcurve.aux=WEIGHT -Dcurve.averaging=DECAY (0 = off).
     */
    static TeacherConfig overrides(TeacherConfig c) {
        float dropout = Float.parseFloat(System.getProperty("curve.dropout", Float.toString(c.dropout())));
        float decay = Float.parseFloat(System.getProperty("curve.weightDecay", Float.toString(c.weightDecay())));
        String[] lstm = System.getProperty("curve.lstm", c.lstmHidden() + "," + c.lstmLayers()).split(",");
        int fusion = Integer.parseInt(System.getProperty("curve.fusion", Integer.toString(c.fusionHidden())));
        String[] encoders = System.getProperty("curve.encoders", c.handsEncoderWidth() + "," + c.faceEncoderWidth() + ","
                + c.poseEncoderWidth() + "," + c.temporalEncoderWidth()).split(",");
        double inception = Double.parseDouble(System.getProperty("curve.inception", Double.toString(c.inceptionWidthScale())));
        int stem = Integer.parseInt(System.getProperty("curve.stem", Integer.toString(c.stemChannels())));
        int groups = Integer.parseInt(System.getProperty("curve.groups", Integer.toString(c.groupNormGroups())));
        boolean attention = Boolean.parseBoolean(System.getProperty("curve.attention", Boolean.toString(c.crossModalAttention())));
        int stride = Integer.parseInt(System.getProperty("curve.stride", Integer.toString(c.temporalStride())));
        boolean temporal = Boolean.parseBoolean(System.getProperty("curve.temporalAttention",
                Boolean.toString(c.temporalAttention())));
        float auxiliary = Float.parseFloat(System.getProperty("curve.aux", Float.toString(c.auxiliaryCtcWeight())));
        float averaging = Float.parseFloat(System.getProperty("curve.averaging",
                Float.toString(c.weightAverageDecay())));
        return c.toBuilder().fusionHidden(fusion).encoderWidths(Integer.parseInt(encoders[0]),
                        Integer.parseInt(encoders[1]), Integer.parseInt(encoders[2]), Integer.parseInt(encoders[3]))
                .crossModalAttention(attention).temporalAttention(temporal).temporalStride(stride).stemChannels(stem)
                .inceptionWidthScale(inception).groupNormGroups(groups).lstmHidden(Integer.parseInt(lstm[0]))
                .lstmLayers(Integer.parseInt(lstm[1])).dropout(dropout).weightDecay(decay)
                .auxiliaryCtcWeight(auxiliary).weightAverageDecay(averaging).build();
    }

    /** -Dcurve.keep=HANDS,POSE zeroes the other modalities' columns (an ablation, to see where the signal is). */
    static List<SyntheticCorpus.Sample> keep(List<SyntheticCorpus.Sample> samples) {
        String keep = System.getProperty("curve.keep");
        if (keep == null) {
            return samples;
        }
        List<io.signstream.contract.Modality> kept = Arrays.stream(keep.split(","))
                .map(io.signstream.contract.Modality::valueOf).toList();
        for (SyntheticCorpus.Sample sample : samples) {
            for (int t = 0; t < sample.frames(); t++) {
                for (io.signstream.contract.Modality m : io.signstream.contract.Modality.values()) {
                    if (!kept.contains(m)) {
                        Arrays.fill(sample.features(), t * io.signstream.contract.FeatureLayout.DIMS + m.start(),
                                t * io.signstream.contract.FeatureLayout.DIMS + m.end(), 0f);
                    }
                }
            }
        }
        return samples;
    }

    /** Shuffled, then pools of {@value #BUCKET_BATCHES} batches sorted by length, batches in random order. */
    static List<TeacherBatch> bucketed(List<SyntheticCorpus.Sample> samples, int batchSize, Random random) {
        return bucketedGroups(samples, batchSize, random).stream()
                .map(group -> SyntheticCorpus.batches(group, group.size()).get(0)).toList();
    }

    /** The samples of each batch of {@link #bucketed}, for callers that build (or augment) a batch when they need it. */
    static List<List<SyntheticCorpus.Sample>> bucketedGroups(List<SyntheticCorpus.Sample> samples, int batchSize,
            Random random) {
        List<SyntheticCorpus.Sample> shuffled = new ArrayList<>(samples);
        Collections.shuffle(shuffled, random);
        List<List<SyntheticCorpus.Sample>> groups = new ArrayList<>();
        int pool = batchSize * BUCKET_BATCHES;
        for (int from = 0; from < shuffled.size(); from += pool) {
            List<SyntheticCorpus.Sample> part = new ArrayList<>(shuffled.subList(from, Math.min(shuffled.size(), from + pool)));
            part.sort(Comparator.comparingInt(SyntheticCorpus.Sample::frames));
            for (int start = 0; start < part.size(); start += batchSize) {
                groups.add(part.subList(start, Math.min(part.size(), start + batchSize)));
            }
        }
        Collections.shuffle(groups, random);
        return groups;
    }

    static double devWer(TeacherSession session, List<SyntheticCorpus.Sample> dev, int batchSize) {
        return SignerHeldOutLearning.score(session, dev, batchSize)[0];
    }


    private static void write(String preset, TeacherConfig config, long parameters, int train, int dev, int batch,
            float lr, long seed, List<Epoch> curve, double totalSeconds) throws IOException {
        Path dir = Path.of("target", "benchmarks");
        Files.createDirectories(dir);
        String threads = System.getProperty("ai.djl.pytorch.num_threads", "default");
        double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        StringBuilder json = new StringBuilder();
        json.append(String.format(Locale.ROOT, "{\n  \"preset\": \"%s\",\n  \"parameters\": %d,\n  \"trainSamples\": %d,\n"
                + "  \"devSamples\": %d,\n  \"batchSize\": %d,\n  \"peakLearningRate\": %s,\n  \"seed\": %d,\n"
                + "  \"torchThreads\": \"%s\",\n  \"loadAverageAtEnd\": %.2f,\n  \"totalSeconds\": %.1f,\n  \"config\": %s,\n"
                + "  \"epochs\": [\n", preset, parameters, train, dev, batch, lr, seed, threads, load, totalSeconds,
                new String(config.toJson()).replace("\n", "\n  ")));
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT,
                "# Synthetic learning curve: %s (%d parameters)%n%n%d train / %d dev samples of SyntheticOptions.defaults() "
                + "(-vN: N glosses), "
                + "z-scored per sample and channel; batch %d, peak lr %s (warmup 10%% + cosine), seed %d, torch threads %s, "
                + "load average %.2f at the end, %.0f s in all.%n%n| epoch | mean loss | grad norm median | grad norm max "
                + "| skipped | dev WER | seconds |%n| --- | --- | --- | --- | --- | --- | --- |%n",
                preset, parameters, train, dev, batch, lr, seed, threads, load, totalSeconds));
        for (int i = 0; i < curve.size(); i++) {
            Epoch e = curve.get(i);
            json.append(String.format(Locale.ROOT, "    {\"epoch\": %d, \"meanLoss\": %.5f, \"medianGradNorm\": %.5g, "
                    + "\"maxGradNorm\": %.5g, \"skipped\": %d, \"devWer\": %.5f, \"seconds\": %.2f}%s%n", e.epoch(),
                    e.meanLoss(), e.medianGradNorm(), e.maxGradNorm(), e.skipped(), e.devWer(), e.seconds(),
                    i + 1 < curve.size() ? "," : ""));
            md.append(String.format(Locale.ROOT, "| %d | %.4f | %.3g | %.3g | %d | %.1f%% | %.1f |%n", e.epoch(),
                    e.meanLoss(), e.medianGradNorm(), e.maxGradNorm(), e.skipped(), 100 * e.devWer(), e.seconds()));
        }
        json.append("  ]\n}\n");
        Files.writeString(dir.resolve("synthetic-learning-" + preset + ".json"), json);
        Files.writeString(dir.resolve("synthetic-learning-" + preset + ".md"), md);
    }
}
