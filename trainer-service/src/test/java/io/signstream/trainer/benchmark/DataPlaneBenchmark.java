package io.signstream.trainer.benchmark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.signstream.checkpoint.CheckpointStore;
import io.signstream.contract.FeatureSampleCodec;
import io.signstream.contract.Topics;
import io.signstream.contract.proto.FeatureSample;
import io.signstream.contract.proto.Split;
import io.signstream.featurestream.FeatureStream;
import io.signstream.featurestream.FeatureStreamConfig;
import io.signstream.featurestream.PassRequest;
import io.signstream.featurestream.PassSummary;
import io.signstream.featurestream.SplitCache;
import io.signstream.featurestream.SplitTopics;
import io.signstream.localstack.LocalStack;
import io.signstream.localstack.ObjectStore;
import io.signstream.localstack.TopicLayout;
import io.signstream.localstack.TopicLayout.TopicSpec;
import io.signstream.localstack.synthetic.SyntheticDataset;
import io.signstream.localstack.synthetic.SyntheticOptions;
import io.signstream.teacher.TeacherConfig;
import io.signstream.teacher.TeacherSession;
import io.signstream.trainer.BrokerTrainingEvents;
import io.signstream.trainer.NormalizedFixture;
import io.signstream.trainer.domain.InputWait;
import io.signstream.trainer.domain.RunOptions;
import io.signstream.trainer.domain.RunState;
import io.signstream.trainer.domain.RunStatus;
import io.signstream.trainer.domain.TrainingRun;
import io.signstream.trainer.messaging.EpochReader;
import io.signstream.trainer.storage.RunRepository;
import io.signstream.trainer.storage.TrainingCheckpoints;

/**
 * The data plane at growing corpus size, on a fresh local broker:
 * <ol>
 * <li><b>bytes per record</b> of demo-like normalized samples (the demo's synthetic generator, normalized as
 * normalization-service does) on the broker's disk ({@code describeLogDirs}), produced uncompressed, with lz4 and zstd,
 * with the publish and read (a feature-stream pass) throughput of each;</li>
 * <li><b>dev pass data time</b> as the train split grows (e.g. 250, 1000, 4000 small samples, 40 dev): one topic
 * per split against the old single topic holding every split;</li>
 * <li><b>trainer input wait</b>: a real training run (small model, CPU) over the train split's topic, the share of
 * each epoch's step time spent waiting for batches.</li>
 * </ol>
 * Not a test. Run: {@code mvn -B -o -pl trainer-service test-compile exec:java
 * -Dexec.mainClass=io.signstream.trainer.benchmark.DataPlaneBenchmark -Dexec.classpathScope=test} with optional
 * {@code -Dbenchmark.train-sizes=250,1000,4000 -Dbenchmark.dev=40 -Dbenchmark.compression-samples=60
 * -Dbenchmark.run-train=250 -Dbenchmark.run-epochs=3 -Dbenchmark.run-batch=8
 * -Dbenchmark.parts=compression,dev-pass,input-wait}. Writes {@code target/benchmarks/data-plane.json} and
 * {@code .md} ({@code data-plane-<parts>.*} for some of the parts).
 */
public final class DataPlaneBenchmark {

    private static final int PARTITIONS = 4;
    private static final List<String> ALL_PARTS = List.of("compression", "dev-pass", "input-wait", "loader");
    private static final int COMPRESSION_ROUNDS = Integer.getInteger("benchmark.compression-rounds", 3);
    /** Producer compression types compared; the services use zstd. */
    private static final List<String> CODECS = List.of(System.getProperty("benchmark.codecs", "none,lz4,zstd").split(","));
    private static final Map<String, String> FEATURE_TOPIC = Map.of("retention.ms", "-1",
            "max.message.bytes", String.valueOf(TopicLayout.MAX_MESSAGE_BYTES));

    private final List<Integer> trainSizes;
    private final int devSamples;
    private final int compressionSamples;
    private final int runTrain;
    private final int runEpochs;
    private final int runBatch;
    private final int loaderSamples;
    private final int loaderEpochs;
    private final List<Integer> loaderStepsMs;
    private final Path output;
    private final List<String> parts;

    private DataPlaneBenchmark() {
        trainSizes = java.util.Arrays.stream(System.getProperty("benchmark.train-sizes", "250,1000,4000").split(","))
                .map(String::trim).map(Integer::valueOf).toList();
        devSamples = Integer.getInteger("benchmark.dev", 40);
        compressionSamples = Integer.getInteger("benchmark.compression-samples", 60);
        runTrain = Integer.getInteger("benchmark.run-train", 250);
        runEpochs = Integer.getInteger("benchmark.run-epochs", 3);
        runBatch = Integer.getInteger("benchmark.run-batch", 8);
        loaderSamples = Integer.getInteger("benchmark.loader-samples", 300);
        loaderEpochs = Integer.getInteger("benchmark.loader-epochs", 3);
        loaderStepsMs = java.util.Arrays.stream(System.getProperty("benchmark.loader-step-ms", "0,25,50").split(","))
                .map(String::trim).map(Integer::valueOf).toList();
        output = Path.of(System.getProperty("benchmark.output", "trainer-service/target/benchmarks"));
        parts = List.of(System.getProperty("benchmark.parts", String.join(",", ALL_PARTS)).split(","));
    }

    public static void main(String[] args) throws Exception {
        new DataPlaneBenchmark().run();
        System.exit(0);
    }

    private void run() throws Exception {
        Instant started = Instant.now();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("benchmark", "data plane: bytes per record, dev pass time vs train size, trainer input wait");
        json.put("startedAt", started.toString());
        json.put("cores", Runtime.getRuntime().availableProcessors());
        Path directory = Files.createTempDirectory("signstream-data-plane-");
        try (LocalStack stack = LocalStack.start(directory, 0, 0, ObjectStore.Backend.TRANSIENT)) {
            if (parts.contains("compression")) {
                json.put("compression", compression(stack));
            }
            if (parts.contains("dev-pass")) {
                json.put("devPass", devPassByTrainSize(stack));
            }
            if (parts.contains("input-wait") && runTrain > 0 && runEpochs > 0) {
                json.put("inputWait", inputWait(stack));
            }
            if (parts.contains("loader")) {
                json.put("loader", loader(stack));
            }
        } finally {
            // gigabytes of broker logs: gone with the stack
            try (var paths = Files.walk(directory)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
        json.put("seconds", round((Instant.now().toEpochMilli() - started.toEpochMilli()) / 1000.0));
        Files.createDirectories(output);
        String name = parts.equals(ALL_PARTS) ? "data-plane" : "data-plane-" + String.join("-", parts);
        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(output.resolve(name + ".json").toFile(), json);
        Files.writeString(output.resolve(name + ".md"), markdown(json));
        log("wrote %s", output.resolve(name + ".json").toAbsolutePath());
    }

    // ---- 1. bytes per record and throughput, uncompressed and zstd ----

    private Map<String, Object> compression(LocalStack stack) throws Exception {
        // the demo's samples: 30 glosses, sentences of 2-8, 16-28 frames per gloss (32-224 frames)
        SyntheticDataset dataset = new SyntheticDataset(SyntheticOptions.defaults().withSamples(compressionSamples, 0, 0));
        List<FeatureSample> raw = new ArrayList<>();
        List<FeatureSample> samples = new ArrayList<>();
        long valueBytes = 0;
        for (int i = 0; i < compressionSamples; i++) {
            raw.add(dataset.sample(Split.TRAIN, i).toFeatureSample());
            FeatureSample normalized = NormalizedFixture.normalize(raw.get(i));
            samples.add(normalized);
            valueBytes += FeatureSampleCodec.encode(normalized).length;
        }
        log("compression: %d demo samples, %.2f MB per record on average", samples.size(), valueBytes / 1e6 / samples.size());
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("samples", samples.size());
        result.put("valueBytesPerRecord", valueBytes / samples.size());
        result.put("rounds", COMPRESSION_ROUNDS);
        // features.raw holds the same samples before normalization (what ingest publishes)
        Map<String, Object> rawBytes = new LinkedHashMap<>();
        for (String codec : CODECS) {
            String topic = "bench.compression.raw." + codec;
            stack.kafka().ensureTopics(List.of(new TopicSpec(topic, PARTITIONS, FEATURE_TOPIC)));
            publish(stack, topic, raw, codec);
            rawBytes.put(codec, bytesOnDisk(stack, topic) / raw.size());
        }
        result.put("rawBytesPerRecordOnDisk", rawBytes);
        log("compression of raw samples: %s bytes per record on disk", rawBytes);
        // rounds alternate the codecs (none, lz4, zstd, none, ...) so neither profits from a warmer JVM, broker or
        // page cache; throughput is taken from each codec's median round (runs on a shared VM differ a lot)
        Map<String, List<Double>> publishRounds = new LinkedHashMap<>();
        Map<String, List<Double>> readRounds = new LinkedHashMap<>();
        Map<String, Long> onDiskByCodec = new LinkedHashMap<>();
        for (int round = 0; round < COMPRESSION_ROUNDS; round++) {
            for (String codec : CODECS) {
                String topic = "bench.compression." + codec + "." + round;
                stack.kafka().ensureTopics(List.of(new TopicSpec(topic, PARTITIONS, FEATURE_TOPIC)));
                double publishSeconds = publish(stack, topic, samples, codec);
                onDiskByCodec.put(codec, bytesOnDisk(stack, topic));
                FeatureStreamConfig config = FeatureStreamConfig.of(stack.bootstrapServers()).withTopic(topic);
                long readStart = System.nanoTime();
                PassSummary pass;
                try (FeatureStream stream = new FeatureStream(config)) {
                    pass = stream.forEach(PassRequest.of(Split.TRAIN), sample -> {
                    });
                }
                if (pass.kept() != samples.size()) {
                    throw new IllegalStateException(codec + ": the pass kept " + pass.kept() + " of " + samples.size());
                }
                double readSeconds = (System.nanoTime() - readStart) / 1e9;
                log("compression %s round %d: publish %.2f s, feature-stream pass %.2f s", codec, round, publishSeconds,
                        readSeconds);
                publishRounds.computeIfAbsent(codec, c -> new ArrayList<>()).add(round(publishSeconds));
                readRounds.computeIfAbsent(codec, c -> new ArrayList<>()).add(round(readSeconds));
            }
        }
        for (String codec : publishRounds.keySet()) {
            double publishSeconds = median(publishRounds.get(codec));
            double readSeconds = median(readRounds.get(codec));
            long onDisk = onDiskByCodec.get(codec);
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("bytesOnDisk", onDisk);
            figures.put("bytesPerRecord", onDisk / samples.size());
            figures.put("ratioToValue", round((double) onDisk / valueBytes));
            figures.put("publishSecondsRounds", publishRounds.get(codec));
            figures.put("readSecondsRounds", readRounds.get(codec));
            figures.put("publishSeconds", round(publishSeconds));
            figures.put("publishRecordsPerSecond", round(samples.size() / publishSeconds));
            figures.put("readSeconds", round(readSeconds));
            figures.put("readRecordsPerSecond", round(samples.size() / readSeconds));
            figures.put("readMegabytesPerSecond", round(valueBytes / 1e6 / readSeconds));
            result.put(codec, figures);
            log("compression %s: %d bytes per record on disk (%.3f of the value), publish %.1f records/s, "
                    + "feature-stream pass %.1f records/s", codec, onDisk / samples.size(), (double) onDisk / valueBytes,
                    samples.size() / publishSeconds, samples.size() / readSeconds);
        }
        return result;
    }

    private static double publish(LocalStack stack, String topic, List<FeatureSample> samples, String codec)
            throws Exception {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, TopicLayout.MAX_MESSAGE_BYTES);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, codec);
        config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024);
        // the machine is shared: a broker paused for a while must not fail the benchmark
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 600_000);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        long start = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config)) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (FeatureSample sample : samples) {
                sent.add(producer.send(new ProducerRecord<>(topic, sample.getSampleId(), FeatureSampleCodec.encode(sample))));
            }
            for (Future<RecordMetadata> future : sent) {
                future.get(660, TimeUnit.SECONDS);
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** The size of the topic's log segments on the broker, all partitions. */
    private static long bytesOnDisk(LocalStack stack, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            int broker = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).iterator().next().id();
            Map<String, LogDirDescription> dirs = admin.describeLogDirs(List.of(broker)).allDescriptions()
                    .get(30, TimeUnit.SECONDS).get(broker);
            long bytes = 0;
            for (LogDirDescription dir : dirs.values()) {
                for (Map.Entry<TopicPartition, ReplicaInfo> replica : dir.replicaInfos().entrySet()) {
                    if (replica.getKey().topic().equals(topic)) {
                        bytes += replica.getValue().size();
                    }
                }
            }
            return bytes;
        }
    }

    // ---- 2. dev pass time as train grows: split topics against one topic for every split ----

    private List<Map<String, Object>> devPassByTrainSize(LocalStack stack) throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        String train = "bench.layout.train." + suffix;
        String dev = "bench.layout.dev." + suffix;
        String shared = "bench.layout.shared." + suffix;
        stack.kafka().ensureTopics(List.of(new TopicSpec(train, PARTITIONS, FEATURE_TOPIC),
                new TopicSpec(dev, PARTITIONS, FEATURE_TOPIC), new TopicSpec(shared, PARTITIONS, FEATURE_TOPIC)));
        // small samples (2 glosses of 4 frames: ~0.2 MB a record): the corpus grows in count, the disk stays small
        int largest = trainSizes.stream().mapToInt(Integer::intValue).max().orElse(0);
        SyntheticDataset dataset = new SyntheticDataset(SyntheticOptions.defaults().withSentenceLength(2, 2)
                .withFramesPerGloss(4, 4).withSamples(largest, devSamples, 0));
        List<FeatureSample> devSet = new ArrayList<>();
        for (int i = 0; i < devSamples; i++) {
            devSet.add(NormalizedFixture.normalize(dataset.sample(Split.DEV, i).toFeatureSample()));
        }
        publish(stack, dev, devSet, "none");
        publish(stack, shared, devSet, "none");
        SplitTopics splitLayout = SplitTopics.none().with(Split.TRAIN, train).with(Split.DEV, dev)
                .withLegacy(SplitTopics.NONE);
        List<Map<String, Object>> rows = new ArrayList<>();
        int published = 0;
        for (int size : trainSizes) {
            List<FeatureSample> more = new ArrayList<>();
            for (int i = published; i < size; i++) {
                more.add(NormalizedFixture.normalize(dataset.sample(Split.TRAIN, i).toFeatureSample()));
            }
            publish(stack, train, more, "none");
            publish(stack, shared, more, "none");
            published = size;
            FeatureStreamConfig base = FeatureStreamConfig.of(stack.bootstrapServers());
            Pass split = devPass(base.withTopics(splitLayout));
            Pass single = devPass(base.withTopic(shared));
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("train", size);
            row.put("dev", devSamples);
            row.put("splitTopicsSeconds", round(split.seconds()));
            row.put("splitTopicsRecordsRead", split.summary().read());
            row.put("singleTopicSeconds", round(single.seconds()));
            row.put("singleTopicRecordsRead", single.summary().read());
            rows.add(row);
            log("train %d, dev %d: dev pass %.3f s reading %d records (split topics) vs %.3f s reading %d (one topic)",
                    size, devSamples, split.seconds(), split.summary().read(), single.seconds(), single.summary().read());
        }
        return rows;
    }

    private record Pass(double seconds, PassSummary summary) {
    }

    /** A new reader's dev pass (index and read), the fastest of three. */
    private Pass devPass(FeatureStreamConfig config) {
        Pass best = null;
        for (int round = 0; round < 3; round++) {
            long start = System.nanoTime();
            try (FeatureStream stream = new FeatureStream(config)) {
                PassSummary summary = stream.forEach(PassRequest.of(Split.DEV), sample -> {
                });
                double seconds = (System.nanoTime() - start) / 1e9;
                if (summary.kept() != devSamples) {
                    throw new IllegalStateException("dev pass kept " + summary.kept() + ", expected " + devSamples);
                }
                if (best == null || seconds < best.seconds()) {
                    best = new Pass(seconds, summary);
                }
            }
        }
        return best;
    }

    // ---- 3. trainer input wait: a real run over the train split's topic ----

    private Map<String, Object> inputWait(LocalStack stack) throws Exception {
        String topic = "bench.run.train." + UUID.randomUUID().toString().substring(0, 6);
        stack.kafka().ensureTopics(List.of(new TopicSpec(topic, PARTITIONS, FEATURE_TOPIC)));
        // the tiny set's shapes (2-3 glosses of 16-24 frames), which the small model can align
        SyntheticDataset dataset = new SyntheticDataset(SyntheticOptions.tiny().withSamples(runTrain, 0, 0));
        List<FeatureSample> train = new ArrayList<>();
        for (int i = 0; i < runTrain; i++) {
            train.add(NormalizedFixture.normalize(dataset.sample(Split.TRAIN, i).toFeatureSample()));
        }
        publish(stack, topic, train, "zstd");
        CheckpointStore store = new CheckpointStore(stack.objectStore().client(), LocalStack.DEFAULT_BUCKET);
        RunRepository runs = new RunRepository(stack.objectStore().client(), LocalStack.DEFAULT_BUCKET);
        RunOptions options = new RunOptions(runEpochs, runBatch, 3e-3f, 2, 7L, "small", TeacherConfig.small(), 600, 5);
        RunState done;
        try (BrokerTrainingEvents events = new BrokerTrainingEvents(stack.bootstrapServers(), Topics.TRAINING_EVENTS)) {
            TrainingRun.Environment env = new TrainingRun.Environment(
                    FeatureStreamConfig.of(stack.bootstrapServers())
                            .withTopics(SplitTopics.none().with(Split.TRAIN, topic).withLegacy(SplitTopics.NONE)),
                    new TrainingCheckpoints(store), runs, events, new EpochReader.Settings(64, 4, 4,
                            new SplitCache.Settings(Files.createTempDirectory("signstream-bench-cache-"), 1L << 34)), 0,
                    TeacherSession::create);
            TrainingRun run = TrainingRun.create("bench-" + UUID.randomUUID().toString().substring(0, 8), options, env);
            run.start();
            if (!run.awaitTermination(60, TimeUnit.MINUTES)) {
                run.halt();
                throw new IllegalStateException("the benchmark run did not end within an hour");
            }
            done = run.snapshot();
        }
        if (done.status() != RunStatus.COMPLETED) {
            throw new IllegalStateException("the benchmark run ended " + done.status() + ": " + done.message());
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("train", runTrain);
        result.put("batch", runBatch);
        result.put("device", done.device());
        result.put("stepsPerEpoch", done.stepsPerEpoch());
        List<Map<String, Object>> epochs = new ArrayList<>();
        for (InputWait.Epoch epoch : done.inputWait().epochs()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("epoch", epoch.epoch());
            row.put("waitSeconds", round(epoch.waitSeconds()));
            row.put("stepSeconds", round(epoch.stepSeconds()));
            row.put("share", round(epoch.share()));
            row.put("maxWaitSeconds", round(epoch.maxWaitSeconds()));
            epochs.add(row);
            log("input wait, epoch %d: %.2f s waiting, %.2f s in steps: %.1f%% (longest wait %.2f s)", epoch.epoch(),
                    epoch.waitSeconds(), epoch.stepSeconds(), 100 * epoch.share(), epoch.maxWaitSeconds());
        }
        result.put("epochs", epochs);
        return result;
    }

    // ---- 4. the loader at GPU pace: the real EpochReader, a stand-in step of fixed length ----

    /**
     * The trainer's loader ({@link EpochReader}, the service's default sizes: shuffle 64, bucket 8, prefetch 4) over
     * demo-sized samples, with and without the epoch cache, feeding a stand-in "step" that sleeps a fixed time per
     * batch (a GPU step's length; 0 = as fast as the loader delivers). The input wait is accounted as the trainer
     * does ({@link InputWait}: from the end of one step to the next batch's arrival).
     */
    private Map<String, Object> loader(LocalStack stack) throws Exception {
        String topic = "bench.loader.train." + UUID.randomUUID().toString().substring(0, 6);
        stack.kafka().ensureTopics(List.of(new TopicSpec(topic, PARTITIONS, FEATURE_TOPIC)));
        SyntheticDataset dataset = new SyntheticDataset(SyntheticOptions.defaults().withSamples(loaderSamples, 0, 0));
        List<FeatureSample> train = new ArrayList<>();
        List<List<String>> glosses = new ArrayList<>();
        long frames = 0;
        for (int i = 0; i < loaderSamples; i++) {
            FeatureSample sample = NormalizedFixture.normalize(dataset.sample(Split.TRAIN, i).toFeatureSample());
            train.add(sample);
            glosses.add(sample.getGlossesList());
            frames += sample.getFrameCount();
        }
        publish(stack, topic, train, "zstd");
        log("loader: %d demo samples (%.0f frames on average, %.2f MB of features each) on %s", loaderSamples,
                (double) frames / loaderSamples, frames * 6516.0 * 4 / loaderSamples / 1e6, topic);
        FeatureStreamConfig config = FeatureStreamConfig.of(stack.bootstrapServers())
                .withTopics(SplitTopics.none().with(Split.TRAIN, topic).withLegacy(SplitTopics.NONE));
        io.signstream.scoring.Vocabulary vocabulary = io.signstream.scoring.Vocabulary.fromGlossSequences(glosses);
        String normalization = io.signstream.contract.NormalizationStamps.describe(NormalizedFixture.STAMP);
        // by default the held-out recipe's speed perturbation (resampled anew every epoch, in the loader)
        String speedRange = System.getProperty("benchmark.loader-speed", "0.7,1.4");
        io.signstream.teacher.SpeedPerturbation speed = speedRange.equals("none")
                ? io.signstream.teacher.SpeedPerturbation.none()
                : new io.signstream.teacher.SpeedPerturbation(Double.parseDouble(speedRange.split(",")[0]),
                        Double.parseDouble(speedRange.split(",")[1]));
        RunOptions options = new RunOptions(loaderEpochs, runBatch, 1e-3f, 0, 7L, "defaults", TeacherConfig.defaults(),
                600, 5, io.signstream.trainer.domain.Feasibility.DEFAULT_MAX_UNALIGNABLE_SHARE, speed);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int stepMs : loaderStepsMs) {
            for (boolean cached : List.of(false, true)) {
                Path root = Files.createTempDirectory("signstream-bench-loader-");
                SplitCache.Settings cache = cached ? new SplitCache.Settings(root, 1L << 34) : SplitCache.Settings.off();
                InputWait wait = new InputWait(1);
                long epochStarted = System.nanoTime();
                try (EpochReader reader = new EpochReader(config, normalization, vocabulary, options,
                        new EpochReader.Settings(64, 8, 4, cache), 1, loaderEpochs, "bench-loader").start()) {
                    long waitingSince = System.nanoTime();
                    int done = 0;
                    while (done < loaderEpochs) {
                        EpochReader.Item item = reader.poll(10, TimeUnit.MINUTES);
                        if (item instanceof EpochReader.Batch) {
                            long arrived = System.nanoTime();
                            if (stepMs > 0) {
                                Thread.sleep(stepMs);
                            }
                            long stepped = System.nanoTime();
                            wait.step(arrived - waitingSince, stepped - arrived);
                            waitingSince = stepped;
                        } else if (item instanceof EpochReader.EpochEnd end) {
                            InputWait.Epoch epoch = wait.endEpoch(end.epoch() + 1);
                            double seconds = (System.nanoTime() - epochStarted) / 1e9;
                            epochStarted = System.nanoTime();
                            Map<String, Object> row = new LinkedHashMap<>();
                            row.put("stepMs", stepMs);
                            row.put("cache", cached);
                            row.put("epoch", end.epoch());
                            row.put("batches", epoch.steps());
                            row.put("seconds", round(seconds));
                            row.put("samplesPerSecond", round(end.samples() / seconds));
                            row.put("fromCache", end.fromCache());
                            row.put("waitSeconds", round(epoch.waitSeconds()));
                            row.put("stepSeconds", round(epoch.stepSeconds()));
                            row.put("waitShare", round(epoch.share()));
                            row.put("maxWaitSeconds", round(epoch.maxWaitSeconds()));
                            rows.add(row);
                            log("loader, step %d ms, cache %s, epoch %d: %.2f s, %.1f samples/s, %d from the cache, "
                                    + "input wait %.2f s of %.2f s in steps (%.1f%%, longest %.3f s)", stepMs, cached,
                                    end.epoch(), seconds, end.samples() / seconds, end.fromCache(), epoch.waitSeconds(),
                                    epoch.stepSeconds(), 100 * epoch.share(), epoch.maxWaitSeconds());
                            done++;
                            waitingSince = System.nanoTime();
                        } else if (item instanceof EpochReader.Failure failure) {
                            throw new IllegalStateException("the loader failed", failure.error());
                        } else {
                            throw new IllegalStateException("the loader delivered nothing for 10 minutes");
                        }
                    }
                }
                try (var left = Files.walk(root)) {
                    if (left.anyMatch(Files::isRegularFile)) {
                        throw new IllegalStateException("the epoch cache left files under " + root);
                    }
                }
            }
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("samples", loaderSamples);
        result.put("averageFrames", round((double) frames / loaderSamples));
        result.put("batch", runBatch);
        result.put("speedPerturbation", speedRange);
        result.put("rows", rows);
        return result;
    }

    // ---- output ----

    @SuppressWarnings("unchecked")
    private static String markdown(Map<String, Object> json) {
        StringBuilder md = new StringBuilder("# Data plane benchmark\n\n");
        md.append(String.format(Locale.ROOT, "%s, %s cores, %s s in all.%n", json.get("startedAt"), json.get("cores"),
                json.get("seconds")));
        if (json.get("compression") instanceof Map<?, ?> c) {
            markdownCompression(md, (Map<String, Object>) c);
        }
        if (json.get("devPass") instanceof List<?> rows) {
            md.append("\n## Dev pass as the train split grows\n\n");
            md.append("| train | dev | split topics: s | records read | one topic: s | records read |\n");
            md.append("| ---: | ---: | ---: | ---: | ---: | ---: |\n");
            for (Map<String, Object> row : (List<Map<String, Object>>) rows) {
                md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s |%n", row.get("train"),
                        row.get("dev"), row.get("splitTopicsSeconds"), row.get("splitTopicsRecordsRead"),
                        row.get("singleTopicSeconds"), row.get("singleTopicRecordsRead")));
            }
        }
        if (json.get("inputWait") instanceof Map<?, ?> w) {
            Map<String, Object> wait = (Map<String, Object>) w;
            md.append(String.format(Locale.ROOT, "%n## Trainer input wait (%s train samples, batch %s, %s, %s steps per epoch)%n%n",
                    wait.get("train"), wait.get("batch"), wait.get("device"), wait.get("stepsPerEpoch")));
            md.append("| epoch | waiting s | in steps s | wait share | longest wait s |\n| ---: | ---: | ---: | ---: | ---: |\n");
            for (Map<String, Object> row : (List<Map<String, Object>>) wait.get("epochs")) {
                md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", row.get("epoch"),
                        row.get("waitSeconds"), row.get("stepSeconds"), row.get("share"), row.get("maxWaitSeconds")));
            }
        }
        if (json.get("loader") instanceof Map<?, ?> l) {
            Map<String, Object> loader = (Map<String, Object>) l;
            md.append(String.format(Locale.ROOT, "%n## The loader at GPU pace (%s demo samples of %s frames on average, "
                    + "batch %s, speed perturbation %s; stand-in step: a sleep of fixed length per batch)%n%n",
                    loader.get("samples"), loader.get("averageFrames"), loader.get("batch"),
                    loader.get("speedPerturbation")));
            md.append("| step ms | epoch cache | epoch | s | samples/s | from the cache | waiting s | in steps s | "
                    + "wait share | longest wait s |\n| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
            for (Map<String, Object> row : (List<Map<String, Object>>) loader.get("rows")) {
                md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                        row.get("stepMs"), (Boolean) row.get("cache") ? "on" : "off", row.get("epoch"),
                        row.get("seconds"), row.get("samplesPerSecond"), row.get("fromCache"), row.get("waitSeconds"),
                        row.get("stepSeconds"), row.get("waitShare"), row.get("maxWaitSeconds")));
            }
        }
        return md.toString();
    }

    @SuppressWarnings("unchecked")
    private static void markdownCompression(StringBuilder md, Map<String, Object> compression) {
        md.append(String.format(Locale.ROOT, "%n## Bytes per record (%s demo samples, value %s bytes per record)%n%n",
                compression.get("samples"), compression.get("valueBytesPerRecord")));
        md.append(String.format(Locale.ROOT, "Raw (features.raw) bytes per record on disk: %s.%n%n",
                compression.get("rawBytesPerRecordOnDisk")));
        md.append(String.format(Locale.ROOT, "Normalized; throughput of the median of %s alternating rounds per codec "
                + "(seconds of every round in the JSON):%n%n", compression.get("rounds")));
        md.append("| producer compression | bytes per record on disk | of the value | publish records/s | feature-stream pass records/s | pass MB/s (uncompressed) | publish s, each round | pass s, each round |\n");
        md.append("| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |\n");
        for (String codec : CODECS) {
            Map<String, Object> f = (Map<String, Object>) compression.get(codec);
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s |%n", codec,
                    f.get("bytesPerRecord"), f.get("ratioToValue"), f.get("publishRecordsPerSecond"),
                    f.get("readRecordsPerSecond"), f.get("readMegabytesPerSecond"), f.get("publishSecondsRounds"),
                    f.get("readSecondsRounds")));
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    private static void log(String format, Object... args) {
        System.out.printf(Locale.ROOT, "[data-plane] " + format + "%n", args);
    }
}
