package io.signstream.teacher.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.signstream.contract.proto.Split;
import io.signstream.localstack.synthetic.SignerHeldOutDataset;
import io.signstream.localstack.synthetic.SignerHeldOutOptions;
import io.signstream.scoring.decode.CtcDecoder;
import io.signstream.scoring.wer.CorpusScore;
import io.signstream.teacher.LearningRateSchedule;
import io.signstream.teacher.SpeedPerturbation;
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
import java.util.LinkedHashMap;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The learning benchmark on signing the model was not shaped around: {@link SignerHeldOutDataset} (held-out signers
 * for dev and test, 8-16 frames per gloss at speed 1, speeds 0.7-1.3x, co-articulation, rest frames, missing hands),
 * z-scored per sample and channel like the normalization service. For each teacher variant (preset x output stride
 * x temporal attention) it trains on the train split (length-bucketed shuffled batches, warmup 10% + cosine),
 * scores greedy dev and test WER and SER after every epoch, and records test at the epoch of the best dev WER (the
 * evaluator's "best checkpoint"), the train samples that cannot be aligned at the stride, seconds per epoch and the
 * median training-step time. Not a test: a measurement on this machine.
 *
 * <pre>
 * cd /work/main &amp;&amp; mvn -B -o -pl teacher-model test-compile exec:java -Dai.djl.pytorch.num_threads=1 \
 *   -Dexec.mainClass=io.signstream.teacher.benchmark.SignerHeldOutLearning -Dexec.classpathScope=test \
 *   -Dexec.args="run small 1,4,16 false,true 12 4 2e-3"
 * ... -Dexec.args="table"    # merges every variant's JSON into benchmarks/results/signer-held-out-learning.md
 * </pre>
 *
 * run args: preset (small|defaults), strides, temporal attention choices, epochs, batch, peak lr, [train samples],
 * [minutes of training per variant: stop before an epoch that would pass it]. Each variant writes
 * teacher-model/target/benchmarks/signer-held-out/{preset}-s{stride}-{ta|no-ta}.json, so variants can run in
 * separate processes.
 */
public final class SignerHeldOutLearning {

    static final Path RUNS = Path.of("target", "benchmarks", "signer-held-out");
    static final Path TABLE = Path.of("benchmarks", "results", "signer-held-out-learning");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * @param trainWer greedy WER on the first {@value #PROBE} train samples (trained on)
     * @param seenSignerWer greedy WER on {@value #PROBE} further train-split sentences of the training signers that
     *        are never trained on: with devWer it separates "new sentences" from "new signers"
     */
    record Epoch(int epoch, double meanLoss, double medianGradNorm, double devWer, double devSer, double testWer,
            double testSer, double trainWer, double seenSignerWer, double seconds, double medianStepMillis) {}

    static final int PROBE = 100;

    public static void main(String[] args) throws IOException {
        if (args.length > 0 && args[0].equals("table")) {
            writeTable();
            return;
        }
        String preset = arg(args, 1, "small");
        List<Integer> strides = Arrays.stream(arg(args, 2, "1,4,16").split(",")).map(Integer::valueOf).toList();
        List<Boolean> temporal = Arrays.stream(arg(args, 3, "false,true").split(",")).map(Boolean::valueOf).toList();
        int epochs = Integer.parseInt(arg(args, 4, "12"));
        int batchSize = Integer.parseInt(arg(args, 5, "4"));
        float lr = Float.parseFloat(arg(args, 6, "2e-3"));
        SignerHeldOutOptions defaults = SignerHeldOutOptions.defaults();
        int trainCount = Integer.parseInt(arg(args, 7, Integer.toString(defaults.trainSamples())));
        // Generated beyond trainCount: sentences of the training signers that are never trained on.
        SignerHeldOutOptions options = defaults.withSamples(trainCount + PROBE, defaults.devSamples(),
                defaults.testSamples());
        double minutes = Double.parseDouble(arg(args, 8, "0"));

        SyntheticCorpus corpus = new SyntheticCorpus(new SignerHeldOutDataset(options));
        long generating = System.nanoTime();
        List<SyntheticCorpus.Sample> all = corpus.samples(Split.TRAIN, trainCount + PROBE);
        List<SyntheticCorpus.Sample> train = all.subList(0, trainCount);
        List<SyntheticCorpus.Sample> seen = all.subList(trainCount, trainCount + PROBE);
        List<SyntheticCorpus.Sample> dev = corpus.samples(Split.DEV, options.devSamples());
        List<SyntheticCorpus.Sample> test = corpus.samples(Split.TEST, options.testSamples());
        System.out.printf(Locale.ROOT, "data: %d/%d/%d samples, %d glosses, generated and normalized in %.0f s%n",
                train.size(), dev.size(), test.size(), corpus.vocabularySize(), (System.nanoTime() - generating) / 1e9);
        for (int stride : strides) {
            for (boolean attention : temporal) {
                // -Dcurve.* variants of the preset (see SyntheticLearningCurve#overrides), e.g. -Dcurve.lstm=64,1.
                TeacherConfig base = SyntheticLearningCurve.overrides(
                        preset.equals("defaults") ? TeacherConfig.defaults() : TeacherConfig.small());
                TeacherConfig config = base.withTemporalStride(stride).withTemporalAttention(attention);
                runVariant(preset, config, corpus.vocabularySize(), train, seen, dev, test, epochs, batchSize, lr,
                        minutes, options);
            }
        }
    }

    static void runVariant(String preset, TeacherConfig config, int vocabulary, List<SyntheticCorpus.Sample> train,
            List<SyntheticCorpus.Sample> seen, List<SyntheticCorpus.Sample> dev, List<SyntheticCorpus.Sample> test, int epochs, int batchSize, float lr,
            double minutes, SignerHeldOutOptions options) throws IOException {
        // -Dbench.tag=... names a variant beyond preset/stride/attention (another width, rate, ...).
        String tag = System.getProperty("bench.tag", "");
        String name = String.format(Locale.ROOT, "%s-s%d-%s%s", preset, config.temporalStride(),
                config.temporalAttention() ? "ta" : "no-ta", tag.isEmpty() ? "" : "-" + tag);
        long impossible = train.stream().filter(s -> config.outputLength(s.frames()) < s.requiredFrames()).count();
        List<SyntheticCorpus.Sample> usable = train.stream()
                .filter(s -> config.outputLength(s.frames()) >= s.requiredFrames()).toList();
        int stepsPerEpoch = (usable.size() + batchSize - 1) / batchSize;
        LearningRateSchedule schedule = new LearningRateSchedule(lr, Math.max(1, epochs * stepsPerEpoch / 10),
                epochs * stepsPerEpoch);
        // -Dbench.seed=N: another initialization, dropout and batch order (the learning curve's spread between seeds).
        long seed = Long.getLong("bench.seed", 1);
        Random random = new Random(seed);
        // -Dbench.speed=0.8,1.3: training-time speed perturbation (SpeedPerturbation); off by default.
        String[] speedRange = System.getProperty("bench.speed", "1,1").split(",");
        SpeedPerturbation speed = new SpeedPerturbation(Double.parseDouble(speedRange[0]),
                Double.parseDouble(speedRange[1]));
        List<Epoch> curve = new ArrayList<>();
        long parameters;
        int step = 0;
        // With weight averaging the model to score is the average, what a checkpoint's parameters hold: scored in a
        // second session that loads them, as the evaluator does (a null resource is not closed).
        try (TeacherSession session = TeacherSession.create(config, vocabulary, seed);
                TeacherSession averaged = config.weightAverageDecay() > 0
                        ? TeacherSession.create(config, vocabulary, seed) : null) {
            parameters = session.parameterCount();
            System.out.printf(Locale.ROOT, "%s: %d parameters, %d of %d train samples cannot be aligned at stride %d, "
                    + "%d steps per epoch%n", name, parameters, impossible, train.size(), config.temporalStride(),
                    stepsPerEpoch);
            for (int epoch = 1; epoch <= epochs; epoch++) {
                long epochStart = System.nanoTime();
                double loss = 0;
                List<Double> norms = new ArrayList<>();
                List<Double> stepMillis = new ArrayList<>();
                int done = 0;
                List<List<SyntheticCorpus.Sample>> groups = SyntheticLearningCurve.bucketedGroups(usable, batchSize, random);
                if (epoch == 1 && Boolean.getBoolean("bench.sortagrad")) {
                    // -Dbench.sortagrad=true: SortaGrad (Deep Speech 2): the first epoch's batches shortest first
                    groups.sort(Comparator.comparingInt(g -> g.stream().mapToInt(SyntheticCorpus.Sample::frames).max()
                            .orElse(0)));
                }
                for (List<SyntheticCorpus.Sample> group : groups) {
                    TeacherBatch batch = TeacherBatch.pad(
                            group.stream().map(s -> speed.apply(s.features(), s.targets(), config, random)).toList(),
                            group.stream().map(SyntheticCorpus.Sample::targets).toList());
                    long stepStart = System.nanoTime();
                    StepResult result = session.trainStep(batch, schedule.at(step++));
                    stepMillis.add((System.nanoTime() - stepStart) / 1e6);
                    loss += result.loss();
                    norms.add(Double.isFinite(result.gradNorm()) ? result.gradNorm() : Double.POSITIVE_INFINITY);
                    if (++done % 50 == 0) {
                        double elapsed = (System.nanoTime() - epochStart) / 1e9;
                        System.out.printf(Locale.ROOT, "  %s epoch %d step %d/%d loss %.3f grad norm %.3g, %.1f steps/s, "
                                + "epoch ETA %.0f s%n", name, epoch, done, stepsPerEpoch, loss / done,
                                norms.get(norms.size() - 1), done / elapsed, (stepsPerEpoch - done) * elapsed / done);
                    }
                }
                double seconds = (System.nanoTime() - epochStart) / 1e9;
                TeacherSession scored = session;
                if (averaged != null) {
                    System.out.printf(Locale.ROOT, "%s epoch %d without averaging: dev WER %.1f%%, test WER %.1f%%%n",
                            name, epoch, 100 * score(session, dev, batchSize)[0], 100 * score(session, test, batchSize)[0]);
                    java.io.ByteArrayOutputStream model = new java.io.ByteArrayOutputStream();
                    session.saveParameters(model);
                    averaged.loadParameters(new java.io.ByteArrayInputStream(model.toByteArray()));
                    scored = averaged;
                }
                double[] devScores = score(scored, dev, batchSize);
                double[] testScores = score(scored, test, batchSize);
                double trainWer = score(scored, train.subList(0, Math.min(PROBE, train.size())), batchSize)[0];
                double seenWer = score(scored, seen, batchSize)[0];
                Epoch row = new Epoch(epoch, loss / stepsPerEpoch, median(norms), devScores[0], devScores[1],
                        testScores[0], testScores[1], trainWer, seenWer, seconds, median(stepMillis));
                curve.add(row);
                System.out.printf(Locale.ROOT, "%s epoch %d: loss %.4f, grad norm median %.3g, dev WER %.1f%%, "
                        + "test WER %.1f%% (SER %.1f%%), train WER %.1f%%, seen-signer WER %.1f%%, %.1f s, step %.0f ms%n",
                        name, epoch, row.meanLoss(), row.medianGradNorm(), 100 * row.devWer(), 100 * row.testWer(),
                        100 * row.testSer(), 100 * trainWer, 100 * seenWer, seconds, row.medianStepMillis());
                writeResult(name, preset, config, parameters, train.size(), impossible, epochs, batchSize, lr, curve,
                        options);
                // The budget counts training time only (the per-epoch probes of four splits are this benchmark's, a
                // trainer does not spend them) and is never passed: stop when another epoch as long as this one
                // would end beyond it.
                double trained = curve.stream().mapToDouble(Epoch::seconds).sum();
                if (minutes > 0 && epoch < epochs && trained + seconds > minutes * 60) {
                    System.out.printf(Locale.ROOT, "%s: stopped after epoch %d, %.1f training minutes: another epoch "
                            + "would pass the %.1f-minute budget%n", name, epoch, trained / 60, minutes);
                    break;
                }
            }
        }
        Epoch best = curve.stream().min((a, b) -> Double.compare(a.devWer(), b.devWer())).orElseThrow();
        System.out.printf(Locale.ROOT, "%s: best dev epoch %d, dev WER %.1f%%, test WER %.1f%%, SER %.1f%%%n", name,
                best.epoch(), 100 * best.devWer(), 100 * best.testWer(), 100 * best.testSer());
    }

    private static void writeResult(String name, String preset, TeacherConfig config, long parameters, int trainSamples,
            long impossible, int epochs, int batchSize, float lr, List<Epoch> curve, SignerHeldOutOptions options)
            throws IOException {
        Epoch best = curve.stream().min((a, b) -> Double.compare(a.devWer(), b.devWer())).orElseThrow();
        String tag = System.getProperty("bench.tag", "");
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("variant", name);
        result.put("tag", tag);
        result.put("config", JSON.readTree(config.toJson()));
        result.put("preset", preset);
        result.put("temporalStride", config.temporalStride());
        result.put("temporalAttention", config.temporalAttention());
        result.put("parameters", parameters);
        result.put("trainSamples", trainSamples);
        result.put("unalignableTrainSamples", impossible);
        result.put("plannedEpochs", epochs);
        result.put("epochsRun", curve.size());
        result.put("batchSize", batchSize);
        result.put("peakLearningRate", lr);
        result.put("seed", Long.getLong("bench.seed", 1));
        result.put("torchThreads", System.getProperty("ai.djl.pytorch.num_threads", "default"));
        result.put("normalization", System.getProperty("corpus.normalization", "channel"));
        // SyntheticCorpus normalizes with the service's default version (runs recorded without this field used v1).
        result.put("normalizationVersion", io.signstream.featurenormalization.Normalizations.DEFAULT_VERSION);
        result.put("speedPerturbation", System.getProperty("bench.speed", "1,1"));
        result.put("dropout", config.dropout());
        result.put("sortaGrad", Boolean.getBoolean("bench.sortagrad"));
        result.put("weightAverageDecay", config.weightAverageDecay());
        result.put("trainingSeconds", curve.stream().mapToDouble(Epoch::seconds).sum());
        result.put("secondsPerEpoch", median(curve.stream().map(Epoch::seconds).toList()));
        result.put("medianStepMillis", median(curve.stream().map(Epoch::medianStepMillis).toList()));
        result.put("bestDevEpoch", best.epoch());
        result.put("devWer", best.devWer());
        result.put("devSer", best.devSer());
        result.put("testWer", best.testWer());
        result.put("testSer", best.testSer());
        result.put("trainWer", best.trainWer());
        result.put("seenSignerWer", best.seenSignerWer());
        result.put("data", options);
        result.put("epochs", curve);
        Files.createDirectories(RUNS);
        JSON.writeValue(RUNS.resolve(name + ".json").toFile(), result);
    }

    /** Greedy decoding: {WER, SER}. */
    static double[] score(TeacherSession session, List<SyntheticCorpus.Sample> samples, int batchSize) {
        CorpusScore score = new CorpusScore();
        for (int from = 0; from < samples.size(); from += batchSize) {
            List<SyntheticCorpus.Sample> part = samples.subList(from, Math.min(samples.size(), from + batchSize));
            TeacherBatch batch = SyntheticCorpus.batches(part, part.size()).get(0).withoutTargets();
            List<float[][]> logProbs = session.logProbs(batch);
            for (int b = 0; b < part.size(); b++) {
                score.add(part.get(b).id(), tokens(part.get(b).targets()), tokens(CtcDecoder.greedy(logProbs.get(b))));
            }
        }
        return new double[] {score.wer(), score.sentenceErrorRate()};
    }

    /** Every variant's JSON under target/ as one Markdown table (and the JSONs copied beside it). */
    static void writeTable() throws IOException {
        List<JsonNode> runs = new ArrayList<>();
        try (Stream<Path> files = Files.list(RUNS)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                runs.add(JSON.readTree(file.toFile()));
            }
        }
        runs.sort((a, b) -> {
            int preset = a.path("preset").asText().compareTo(b.path("preset").asText());
            if (preset != 0) {
                return -preset; // small first
            }
            int stride = Integer.compare(b.path("temporalStride").asInt(), a.path("temporalStride").asInt());
            return stride != 0 ? stride : Boolean.compare(a.path("temporalAttention").asBoolean(),
                    b.path("temporalAttention").asBoolean());
        });
        StringBuilder md = new StringBuilder("# Learning on held-out signers (SignerHeldOutDataset.defaults())\n\n"
                + "Greedy decoding; dev and test signers never appear in training; test at the epoch of the best dev "
                + "WER. Unalignable: train samples with fewer outputs than glosses plus adjacent repeats at that stride "
                + "(left out of training). Step: median training step (batch as listed). Written by "
                + "SignerHeldOutLearning on this 2-core machine.\n\n"
                + "| variant | stride | temporal attention | parameters | unalignable train | epochs | best dev epoch "
                + "| dev WER | test WER | test SER | train WER | seen-signer WER | s / epoch | step ms | training s "
                + "| notes |\n"
                + "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (JsonNode r : runs) {
            md.append(String.format(Locale.ROOT, "| %s | %d | %s | %d | %d of %d | %d/%d | %d | %.1f%% | %.1f%% | %.1f%% "
                    + "| %s | %s | %.0f | %.0f | %.0f | %s |%n", r.path("variant").asText(), r.path("temporalStride").asInt(),
                    r.path("temporalAttention").asBoolean() ? "yes" : "no", r.path("parameters").asLong(),
                    r.path("unalignableTrainSamples").asLong(), r.path("trainSamples").asInt(),
                    r.path("epochsRun").asInt(), r.path("plannedEpochs").asInt(), r.path("bestDevEpoch").asInt(),
                    100 * r.path("devWer").asDouble(), 100 * r.path("testWer").asDouble(),
                    100 * r.path("testSer").asDouble(), percent(r.path("trainWer")), percent(r.path("seenSignerWer")),
                    r.path("secondsPerEpoch").asDouble(),
                    r.path("medianStepMillis").asDouble(), r.path("trainingSeconds").asDouble(),
                    notes(r)));
        }
        Files.createDirectories(TABLE.getParent());
        Files.writeString(Path.of(TABLE + ".md"), md.toString());
        JSON.writeValue(Path.of(TABLE + ".json").toFile(), runs);
        System.out.print(md);
    }

    /** "-" for a figure a run recorded before it was measured. */
    private static String percent(JsonNode value) {
        return value.isNumber() ? String.format(Locale.ROOT, "%.1f%%", 100 * value.asDouble()) : "-";
    }

    /** What a variant changed beyond stride and attention: normalization, augmentation, dropout. */
    private static String notes(JsonNode r) {
        List<String> notes = new ArrayList<>();
        if (!r.path("normalization").asText("channel").equals("channel")) {
            notes.add("z-score per " + r.path("normalization").asText());
        }
        if (!r.path("speedPerturbation").asText("1,1").equals("1,1")) {
            notes.add("speed " + r.path("speedPerturbation").asText().replace(",", "-") + "x");
        }
        if (r.path("sortaGrad").asBoolean(false)) {
            notes.add("first epoch shortest first");
        }
        if (r.path("dropout").asDouble(0) > 0) {
            notes.add("dropout " + r.path("dropout").asDouble());
        }
        JsonNode c = r.path("config");
        // Runs recorded before the config was part of the result all used the first round's small(): 64 / 32.
        notes.add(0, c.isMissingNode() ? "fusion 64, LSTM 32"
                : "fusion " + c.path("fusionHidden").asInt() + ", LSTM " + c.path("lstmHidden").asInt());
        if (c.path("auxiliaryCtcWeight").asDouble(0) > 0) {
            notes.add("auxiliary CTC " + c.path("auxiliaryCtcWeight").asDouble());
        }
        if (c.path("weightDecay").asDouble(0) > 0) {
            notes.add("weight decay " + c.path("weightDecay").asDouble());
        }
        // The first averaging run kept its average on the host and recorded the decay beside the config.
        double averaging = c.path("weightAverageDecay").asDouble(r.path("weightAverageDecay").asDouble(0));
        if (averaging > 0) {
            notes.add("weights averaged (decay " + averaging + ", scored)");
        }
        notes.add("lr " + r.path("peakLearningRate").asDouble());
        notes.add("normalization v" + r.path("normalizationVersion").asInt(1));
        if (r.path("seed").asLong(1) != 1) {
            notes.add("seed " + r.path("seed").asLong());
        }
        return String.join(", ", notes);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.isEmpty() ? Double.NaN : sorted.get(sorted.size() / 2);
    }

    private static List<String> tokens(int[] ids) {
        return Arrays.stream(ids).mapToObj(Integer::toString).toList();
    }

    private static String arg(String[] args, int index, String fallback) {
        return args.length > index ? args[index] : fallback;
    }
}
