package io.signstream.normalization.benchmark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.signstream.contract.FeatureLayout;
import io.signstream.contract.FeatureSampleCodec;
import io.signstream.contract.FeatureTensor;
import io.signstream.contract.SampleValidator;
import io.signstream.contract.proto.FeatureSample;
import io.signstream.contract.proto.Split;
import io.signstream.localstack.LocalStack;
import io.signstream.localstack.ObjectStore;
import io.signstream.localstack.TopicLayout;
import io.signstream.localstack.TopicLayout.TopicSpec;
import io.signstream.featurenormalization.NoiseFloor;
import io.signstream.featurenormalization.Normalization;
import io.signstream.featurenormalization.Normalizations;
import io.signstream.normalization.domain.SampleNormalizer;
import io.signstream.normalization.messaging.KafkaClientSettings;
import io.signstream.normalization.messaging.LoopMetrics;
import io.signstream.normalization.messaging.LoopSettings;
import io.signstream.normalization.messaging.NormalizationLoop;
import io.signstream.normalization.messaging.NormalizeStep;
import io.signstream.normalization.messaging.RecordStep;

/**
 * What normalization costs on the wire: N raw samples of [frames, 6516] go through the service's loop with the
 * normalization step, and the same N through the same loop with a pass-through step (value forwarded as it came,
 * no decoding), on one local broker, with the service's client settings. The ratio of the two throughputs is the
 * price of decoding, checking, normalizing and encoding. Also measures the step alone, in process, without Kafka.
 * <p>
 * Not a test. Run: {@code mvn -B -o -pl normalization-service test-compile exec:java@benchmark}
 * with optional {@code -Dbenchmark.samples=200 -Dbenchmark.frames=150 -Dbenchmark.rounds=2 -Dbenchmark.warmup=20
 * -Dbenchmark.method=zscore-per-channel -Dbenchmark.version=2}. Writes {@code target/benchmarks/normalization.json} and {@code .md}.
 */
public final class NormalizationBenchmark {

    private static final String RAW = "bench.raw";
    private static final String WARMUP = "bench.warmup";
    private static final String NORMALIZED = "bench.normalized";
    private static final String PASS_THROUGH = "bench.passthrough";
    private static final String REJECTED = "bench.rejected";
    private static final int PARTITIONS = 4;
    private static final int DISTINCT_TENSORS = 4;
    private static final int MAX_POLL_RECORDS = 16;

    private final int samples;
    private final int frames;
    private final int rounds;
    private final int warmup;
    private final String method;
    private final int version;
    private final double epsilon = 1.0E-6;
    private final Path output;

    private NormalizationBenchmark() {
        samples = Integer.getInteger("benchmark.samples", 200);
        frames = Integer.getInteger("benchmark.frames", 150);
        rounds = Integer.getInteger("benchmark.rounds", 2);
        warmup = Integer.getInteger("benchmark.warmup", 20);
        method = System.getProperty("benchmark.method", "zscore-per-channel");
        version = Integer.getInteger("benchmark.version", Normalizations.DEFAULT_VERSION);
        output = Path.of(System.getProperty("benchmark.output", "normalization-service/target/benchmarks"));
    }

    public static void main(String[] args) throws Exception {
        new NormalizationBenchmark().run();
    }

    private record Run(String step, int round, int samples, long bytes, double seconds, double meanStepMillis) {

        double samplesPerSecond() {
            return samples / seconds;
        }

        double megabytesPerSecond() {
            return bytes / 1e6 / seconds;
        }
    }

    private void run() throws Exception {
        List<FeatureSample> tensors = tensors();
        long sampleBytes = FeatureSampleCodec.encode(tensors.get(0)).length;
        log("benchmark: %d samples of [%d, %d] (%.2f MB each), %d rounds, method %s", samples, frames,
                FeatureLayout.DIMS, sampleBytes / 1e6, rounds, method);

        Map<String, Object> stepOnly = measureStepOnly(tensors);

        Path directory = Files.createTempDirectory("signstream-benchmark-");
        List<Run> runs = new ArrayList<>();
        Instant started = Instant.now();
        try (LocalStack stack = LocalStack.start(directory, 0, 0, ObjectStore.Backend.TRANSIENT)) {
            Map<String, String> featureTopic = Map.of("retention.ms", "-1",
                    "max.message.bytes", String.valueOf(TopicLayout.MAX_MESSAGE_BYTES));
            stack.kafka().ensureTopics(List.of(new TopicSpec(RAW, PARTITIONS, featureTopic),
                    new TopicSpec(WARMUP, PARTITIONS, featureTopic), new TopicSpec(NORMALIZED, PARTITIONS, featureTopic),
                    new TopicSpec(PASS_THROUGH, PARTITIONS, featureTopic), new TopicSpec(REJECTED, 1, featureTopic)));
            Map<String, Object> base = Map.of("bootstrap.servers", stack.bootstrapServers());
            publish(base, WARMUP, tensors, warmup, "warmup");
            publish(base, RAW, tensors, samples, "sample");

            log("warm-up: %d samples through each loop", warmup);
            measure(base, WARMUP, NORMALIZED, "warmup-normalize", normalizeStep(), warmup, "normalize", 0);
            measure(base, WARMUP, PASS_THROUGH, "warmup-pass-through", passThrough(), warmup, "pass-through", 0);
            for (int round = 1; round <= rounds; round++) {
                runs.add(measure(base, RAW, NORMALIZED, "bench-normalize-" + round, normalizeStep(), samples,
                        "normalize", round));
                runs.add(measure(base, RAW, PASS_THROUGH, "bench-pass-through-" + round, passThrough(), samples,
                        "pass-through", round));
            }
        } finally {
            deleteRecursively(directory);
        }
        write(runs, stepOnly, sampleBytes, started);
    }

    private RecordStep normalizeStep() {
        Normalization normalization = Normalizations.create(method, version, epsilon, NoiseFloor.DEFAULT);
        return new NormalizeStep(new SampleNormalizer(normalization, new SampleValidator(),
                "normalization-benchmark", Clock.systemUTC()));
    }

    /** The identity: the loop's consume, produce, acknowledge and commit, with nothing in between. */
    private static RecordStep passThrough() {
        return record -> RecordStep.Outcome.publish(record.key(), record.value());
    }

    /** Runs a fresh loop (new group, so it reads {@code source} from the start) until {@code count} outputs are acknowledged. */
    private Run measure(Map<String, Object> base, String source, String target, String group, RecordStep step,
            int count, String name, int round) throws InterruptedException {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        LoopMetrics metrics = new LoopMetrics(registry);
        LoopSettings settings = new LoopSettings(source, target, REJECTED, "normalization-benchmark",
                Duration.ofMillis(100), Duration.ofSeconds(150), Duration.ofSeconds(1),
                KafkaClientSettings.consumer(base, group, TopicLayout.MAX_MESSAGE_BYTES, MAX_POLL_RECORDS),
                KafkaClientSettings.producer(base, TopicLayout.MAX_MESSAGE_BYTES));
        NormalizationLoop loop = new NormalizationLoop(settings, step, metrics);
        loop.start();
        try {
            // The clock starts once the group is joined: joining is a one-off cost, not throughput.
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
            while (!loop.hasJoinedGroup()) {
                check(loop, deadline, group);
                Thread.sleep(1);
            }
            long start = System.nanoTime();
            long lastReport = start;
            while (metrics.recordsOut() + metrics.recordsRejected() < count) {
                check(loop, deadline, group);
                Thread.sleep(1);
                long now = System.nanoTime();
                if (now - lastReport > TimeUnit.SECONDS.toNanos(2)) {
                    lastReport = now;
                    long done = metrics.recordsOut() + metrics.recordsRejected();
                    double rate = done / ((now - start) / 1e9);
                    log("  %s round %d: %d/%d samples, %.1f samples/s, ETA %.0f s", name, round, done, count, rate,
                            rate > 0 ? (count - done) / rate : Double.NaN);
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (metrics.recordsRejected() > 0) {
                throw new IllegalStateException(name + ": " + metrics.rejectedByReason() + " rejected");
            }
            Timer latency = registry.find(LoopMetrics.PREFIX + "record.latency").timer();
            Run run = new Run(name, round, count, metrics.bytesIn(), seconds,
                    latency == null ? Double.NaN : latency.mean(TimeUnit.MILLISECONDS));
            if (round > 0) {
                log("%s round %d: %d samples in %.2f s = %.1f samples/s, %.1f MB/s (step %.2f ms/sample)", name,
                        round, count, seconds, run.samplesPerSecond(), run.megabytesPerSecond(), run.meanStepMillis());
            }
            return run;
        } finally {
            loop.stop(Duration.ofSeconds(30));
        }
    }

    private static void check(NormalizationLoop loop, long deadline, String group) {
        if (!loop.isAlive()) {
            throw new IllegalStateException("loop " + group + " died", loop.fatalError());
        }
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException("loop " + group + " did not finish in time");
        }
    }

    /** Decode, validate, normalize, stamp and encode in process: the step's cost without any Kafka. */
    private Map<String, Object> measureStepOnly(List<FeatureSample> tensors) {
        RecordStep step = normalizeStep();
        List<org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        for (FeatureSample sample : tensors) {
            records.add(new org.apache.kafka.clients.consumer.ConsumerRecord<>(RAW, 0, 0, sample.getSampleId(),
                    FeatureSampleCodec.encode(sample)));
        }
        int iterations = Math.max(50, samples);
        for (int i = 0; i < Math.max(20, warmup); i++) {
            step.apply(records.get(i % records.size()));
        }
        long start = System.nanoTime();
        long bytes = 0;
        for (int i = 0; i < iterations; i++) {
            var record = records.get(i % records.size());
            if (!step.apply(record).published()) {
                throw new IllegalStateException("benchmark sample rejected");
            }
            bytes += record.value().length;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("samples", iterations);
        result.put("seconds", round(seconds));
        result.put("samplesPerSecond", round(iterations / seconds));
        result.put("megabytesPerSecond", round(bytes / 1e6 / seconds));
        result.put("millisPerSample", round(seconds * 1000 / iterations));
        log("step alone (decode, validate, normalize, encode; no Kafka): %.1f samples/s, %.1f MB/s, %.2f ms/sample",
                iterations / seconds, bytes / 1e6 / seconds, seconds * 1000 / iterations);
        return result;
    }

    /** A few distinct tensors with MediaPipe-like ranges: coordinates in [0, 1], small temporal values. */
    private List<FeatureSample> tensors() {
        Random random = new Random(20260301L);
        List<FeatureSample> tensors = new ArrayList<>();
        for (int k = 0; k < DISTINCT_TENSORS; k++) {
            float[] values = new float[frames * FeatureLayout.DIMS];
            for (int t = 0; t < frames; t++) {
                for (int c = 0; c < FeatureLayout.DIMS; c++) {
                    values[t * FeatureLayout.DIMS + c] = c < FeatureLayout.RAW_LANDMARK_VALUES
                            ? random.nextFloat()
                            : (float) (random.nextGaussian() * 0.01);
                }
            }
            tensors.add(FeatureSample.newBuilder().setSampleId("bench-tensor-" + k).setSplit(Split.TRAIN)
                    .addGlosses("__ON__").addGlosses("REGEN").setFrameCount(frames)
                    .setFeatureDims(FeatureLayout.DIMS).setFeatures(FeatureTensor.toBytes(values))
                    .setSigner("Signer01").setSource("benchmark").build());
        }
        return tensors;
    }

    private void publish(Map<String, Object> base, String topic, List<FeatureSample> tensors, int count,
            String prefix) throws Exception {
        long start = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                KafkaClientSettings.producer(base, TopicLayout.MAX_MESSAGE_BYTES), new StringSerializer(),
                new ByteArraySerializer())) {
            List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String id = String.format(Locale.ROOT, "%s-%05d", prefix, i);
                FeatureSample sample = tensors.get(i % tensors.size()).toBuilder().setSampleId(id).build();
                sent.add(producer.send(new ProducerRecord<>(topic, id, FeatureSampleCodec.encode(sample))));
            }
            for (var future : sent) {
                future.get(5, TimeUnit.MINUTES);
            }
        }
        log("published %d samples to %s in %.1f s", count, topic, (System.nanoTime() - start) / 1e9);
    }

    private void write(List<Run> runs, Map<String, Object> stepOnly, long sampleBytes, Instant started)
            throws IOException {
        Files.createDirectories(output);
        double normalize = mean(runs, "normalize", Run::samplesPerSecond);
        double passThrough = mean(runs, "pass-through", Run::samplesPerSecond);
        double normalizeMb = mean(runs, "normalize", Run::megabytesPerSecond);
        double passThroughMb = mean(runs, "pass-through", Run::megabytesPerSecond);

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("benchmark", "normalization-service: normalize vs pass-through on the local broker");
        json.put("startedAt", started.toString());
        json.put("samples", samples);
        json.put("shape", List.of(frames, FeatureLayout.DIMS));
        json.put("recordBytes", sampleBytes);
        json.put("method", method);
        json.put("methodVersion", version);
        json.put("epsilon", epsilon);
        json.put("rounds", rounds);
        json.put("partitions", PARTITIONS);
        json.put("maxPollRecords", MAX_POLL_RECORDS);
        json.put("normalize", Map.of("samplesPerSecond", round(normalize), "megabytesPerSecond", round(normalizeMb)));
        json.put("passThrough", Map.of("samplesPerSecond", round(passThrough), "megabytesPerSecond",
                round(passThroughMb)));
        json.put("normalizeOverPassThrough", round(normalize / passThrough));
        json.put("stepAloneInProcess", stepOnly);
        List<Map<String, Object>> perRun = new ArrayList<>();
        for (Run run : runs) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("step", run.step());
            entry.put("round", run.round());
            entry.put("samples", run.samples());
            entry.put("bytes", run.bytes());
            entry.put("seconds", round(run.seconds()));
            entry.put("samplesPerSecond", round(run.samplesPerSecond()));
            entry.put("megabytesPerSecond", round(run.megabytesPerSecond()));
            entry.put("meanStepMillisPerSample", round(run.meanStepMillis()));
            perRun.add(entry);
        }
        json.put("runs", perRun);
        json.put("environment", Map.of(
                "availableProcessors", Runtime.getRuntime().availableProcessors(),
                "maxHeapMiB", Runtime.getRuntime().maxMemory() / (1024 * 1024),
                "java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                "os", System.getProperty("os.name") + " " + System.getProperty("os.arch"),
                "broker", "local single-node KRaft Kafka 4.1.2 (child JVM, -Xmx768m), same machine"));
        json.put("notes", "MB = 10^6 bytes of record values read from the source topic. Throughput is measured from "
                + "the consumer joining its group to the last output acknowledged and includes consume, step, produce "
                + "(acks=all, idempotent) and commit. Broker, clients and the loop share this machine's cores.");
        Path jsonFile = output.resolve("normalization.json");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(jsonFile.toFile(), json);

        StringBuilder md = new StringBuilder();
        md.append("# Normalization benchmark\n\n");
        md.append(String.format(Locale.ROOT, "%d samples of [%d, %d] float32 (%.2f MB per record), method `%s`, "
                + "%d round(s), %d partitions, started %s, %d processors.%n%n", samples, frames, FeatureLayout.DIMS,
                sampleBytes / 1e6, method, rounds, PARTITIONS, started, Runtime.getRuntime().availableProcessors()));
        md.append("| loop | samples/s | MB/s |\n| --- | ---: | ---: |\n");
        md.append(String.format(Locale.ROOT, "| normalize (decode, validate, z-score, stamp, encode) | %.1f | %.1f |%n",
                normalize, normalizeMb));
        md.append(String.format(Locale.ROOT, "| pass-through (same loop, identity step) | %.1f | %.1f |%n",
                passThrough, passThroughMb));
        md.append(String.format(Locale.ROOT, "| **normalize / pass-through** | **%.2f** | |%n%n", normalize / passThrough));
        md.append(String.format(Locale.ROOT, "Step alone in process (no Kafka): %s samples/s, %s MB/s, %s ms/sample.%n%n",
                stepOnly.get("samplesPerSecond"), stepOnly.get("megabytesPerSecond"), stepOnly.get("millisPerSample")));
        md.append("| run | round | seconds | samples/s | MB/s | step ms/sample |\n| --- | ---: | ---: | ---: | ---: | ---: |\n");
        for (Run run : runs) {
            md.append(String.format(Locale.ROOT, "| %s | %d | %.2f | %.1f | %.1f | %.2f |%n", run.step(), run.round(),
                    run.seconds(), run.samplesPerSecond(), run.megabytesPerSecond(), run.meanStepMillis()));
        }
        md.append("\n").append(json.get("notes")).append("\n");
        Files.writeString(output.resolve("normalization.md"), md.toString(), StandardCharsets.UTF_8);
        log("wrote %s and normalization.md: normalize %.1f samples/s (%.1f MB/s), pass-through %.1f samples/s "
                + "(%.1f MB/s), ratio %.2f", jsonFile, normalize, normalizeMb, passThrough, passThroughMb,
                normalize / passThrough);
    }

    private static double mean(List<Run> runs, String step, java.util.function.ToDoubleFunction<Run> value) {
        return runs.stream().filter(r -> r.step().equals(step)).mapToDouble(value).average().orElse(Double.NaN);
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    private static void log(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
        System.out.flush();
    }

    private static void deleteRecursively(Path directory) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
