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

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.clients.producer.ProducerRecord;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

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
import io.signstream.localstack.TopicProbe;
import io.signstream.featurenormalization.NoiseFloor;
import io.signstream.featurenormalization.Normalization;
import io.signstream.featurenormalization.Normalizations;
import io.signstream.normalization.domain.SampleNormalizer;
import io.signstream.normalization.messaging.NormalizeStep;
import io.signstream.normalization.messaging.RecordStep;

/**
 * What normalization costs on the wire: N raw samples of [frames, 6516] go through the packaged service (a child
 * process, its SmallRye Kafka channels as shipped) normalizing, and the same N through the same service with
 * {@code signstream.normalization.pass-through=true} (value forwarded as it came, no decoding), on one local
 * broker. The ratio of the two throughputs is the price of decoding, checking, normalizing and encoding. Also
 * measures the step alone, in process, without Kafka.
 * <p>
 * Not a test. Run after packaging the service ({@code mvn -B -o package -pl normalization-service -am -DskipTests}):
 * {@code mvn -B -o -pl normalization-service test-compile exec:java@benchmark}
 * with optional {@code -Dbenchmark.samples=200 -Dbenchmark.frames=150 -Dbenchmark.rounds=5 -Dbenchmark.warmup=200
 * -Dbenchmark.method=zscore-per-channel -Dbenchmark.version=2}. Writes {@code target/benchmarks/normalization.json} and {@code .md}.
 */
public final class NormalizationBenchmark {

    private static final String RAW = "bench.raw";
    private static final String WARMUP = "bench.warmup";
    private static final String NORMALIZED = "bench.normalized";
    private static final String PASS_THROUGH = "bench.passthrough";
    private static final String REJECTED = "bench.rejected";
    private static final int PARTITIONS = 4;
    /** The service JVM as the local stack runs it (launcher ServiceSpec: 1 GiB heap); -Dbenchmark.service.jvm=... */
    private static final String SERVICE_JVM = System.getProperty("benchmark.service.jvm",
            "-Xmx1g -XX:+ExitOnOutOfMemoryError");
    private static final int DISTINCT_TENSORS = 4;

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
        rounds = Integer.getInteger("benchmark.rounds", 5);
        // 20 was not enough: the first measured round normalized 15-22 samples/s, the second 21-28 (the JIT still warming)
        warmup = Integer.getInteger("benchmark.warmup", 200);
        method = System.getProperty("benchmark.method", "zscore-per-channel");
        version = Integer.getInteger("benchmark.version", Normalizations.DEFAULT_VERSION);
        output = Path.of(System.getProperty("benchmark.output", "normalization-service/target/benchmarks"));
    }

    public static void main(String[] args) throws Exception {
        new NormalizationBenchmark().run();
    }

    private record Run(String step, int round, int samples, long bytes, double seconds) {

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
                    new TopicSpec(WARMUP, PARTITIONS, featureTopic), new TopicSpec(REJECTED, 1, featureTopic)));
            Files.createDirectories(output);
            publish(stack, WARMUP, tensors, warmup, "warmup");
            publish(stack, RAW, tensors, samples, "sample");

            log("warm-up: %d samples through each configuration", warmup);
            measure(stack, WARMUP, NORMALIZED + "-warmup", "warmup-normalize", false, warmup, "normalize", 0);
            measure(stack, WARMUP, PASS_THROUGH + "-warmup", "warmup-pass-through", true, warmup, "pass-through", 0);
            for (int round = 1; round <= rounds; round++) {
                runs.add(measure(stack, RAW, NORMALIZED + "-" + round, "bench-normalize-" + round, false, samples,
                        "normalize", round));
                runs.add(measure(stack, RAW, PASS_THROUGH + "-" + round, "bench-pass-through-" + round, true,
                        samples, "pass-through", round));
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

    /**
     * Runs the service as a process of its own (the packaged quarkus-app, fresh group, so it reads {@code source}
     * from the start) until {@code count} outputs are on {@code target}, then kills it. Throughput is taken from
     * the outputs' own timestamps (set by the service's producer as it sends), first to last: the service's start
     * and its joining the group are a one-off cost, not throughput.
     */
    private Run measure(LocalStack stack, String source, String target, String group, boolean passThrough,
            int count, String name, int round) throws Exception {
        stack.kafka().ensureTopics(List.of(new TopicSpec(target, PARTITIONS, Map.of("retention.ms", "-1",
                "max.message.bytes", String.valueOf(TopicLayout.MAX_MESSAGE_BYTES)))));
        Path jar = Path.of(System.getProperty("benchmark.service.jar",
                "normalization-service/target/quarkus-app/quarkus-run.jar"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        // -Dbenchmark.service.jvm="..." : the service JVM's options, by default the local stack's heap.
        command.addAll(List.of(SERVICE_JVM.trim().split("\\s+")));
        command.addAll(List.of(
                "-Dquarkus.http.port=0", "-Dkafka.bootstrap.servers=" + stack.bootstrapServers(),
                "-Dsignstream.topics.raw=" + source, "-Dsignstream.topics.normalized-train=" + target,
                "-Dsignstream.topics.normalized-dev=" + target, "-Dsignstream.topics.normalized-test=" + target,
                "-Dsignstream.topics.rejected=" + REJECTED, "-Dmp.messaging.incoming.raw.group.id=" + group,
                "-Dsignstream.normalization.method=" + method, "-Dsignstream.normalization.version=" + version,
                "-Dsignstream.normalization.pass-through=" + passThrough, "-jar", jar.toString()));
        Process service = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(output.resolve(group + ".log").toFile()).start();
        try (KafkaConsumer<String, byte[]> consumer = new TopicProbe(stack.bootstrapServers()).consumer()) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                partitions.add(new TopicPartition(target, p));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            long bytes = 0;
            int seen = 0;
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
            while (seen < count) {
                if (!service.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException(name + ": service ended or timed out after " + seen + " outputs; see "
                            + output.resolve(group + ".log"));
                }
                for (var record : consumer.poll(Duration.ofMillis(500))) {
                    seen++;
                    bytes += record.value().length;
                    first = Math.min(first, record.timestamp());
                    last = Math.max(last, record.timestamp());
                }
            }
            double seconds = (last - first) / 1000.0;
            // count - 1 intervals between the first and the last output.
            Run run = new Run(name, round, count - 1, bytes * (count - 1) / count, seconds);
            if (round > 0) {
                log("%s round %d: %d samples in %.2f s = %.1f samples/s, %.1f MB/s", name, round, count, seconds,
                        run.samplesPerSecond(), run.megabytesPerSecond());
            }
            return run;
        } finally {
            service.destroyForcibly();
            service.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Decode, validate, normalize, stamp and encode in process: the step's cost without any Kafka. */
    private Map<String, Object> measureStepOnly(List<FeatureSample> tensors) {
        RecordStep step = normalizeStep();
        List<Map.Entry<String, byte[]>> records = new ArrayList<>();
        for (FeatureSample sample : tensors) {
            records.add(Map.entry(sample.getSampleId(), FeatureSampleCodec.encode(sample)));
        }
        int iterations = Math.max(50, samples);
        for (int i = 0; i < Math.max(20, warmup); i++) {
            var warm = records.get(i % records.size());
            step.apply(warm.getKey(), warm.getValue());
        }
        long start = System.nanoTime();
        long bytes = 0;
        for (int i = 0; i < iterations; i++) {
            var record = records.get(i % records.size());
            if (!step.apply(record.getKey(), record.getValue()).published()) {
                throw new IllegalStateException("benchmark sample rejected");
            }
            bytes += record.getValue().length;
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

    private void publish(LocalStack stack, String topic, List<FeatureSample> tensors, int count, String prefix)
            throws Exception {
        long start = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = new TopicProbe(stack.bootstrapServers()).producer()) {
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
        double normalize = median(runs, "normalize", Run::samplesPerSecond);
        double passThrough = median(runs, "pass-through", Run::samplesPerSecond);
        double normalizeMb = median(runs, "normalize", Run::megabytesPerSecond);
        double passThroughMb = median(runs, "pass-through", Run::megabytesPerSecond);

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
        json.put("pipeline", "the packaged service (SmallRye Kafka connector, application.properties as shipped) as a child process");
        json.put("serviceJvm", SERVICE_JVM);
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
            perRun.add(entry);
        }
        json.put("runs", perRun);
        json.put("environment", Map.of(
                "availableProcessors", Runtime.getRuntime().availableProcessors(),
                "maxHeapMiB", Runtime.getRuntime().maxMemory() / (1024 * 1024),
                "java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                "os", System.getProperty("os.name") + " " + System.getProperty("os.arch"),
                "broker", "local single-node KRaft Kafka 4.1.2 (child JVM, -Xmx768m), same machine"));
        json.put("notes", "MB = 10^6 bytes of output record values. Throughput is measured between the timestamps of "
                + "the first and the last output record (set by the service as it sends them) and includes consume, "
                + "step, produce (acks=all, idempotent) and commit. Broker, service and reader share this machine's "
                + "cores.");
        Path jsonFile = output.resolve("normalization.json");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(jsonFile.toFile(), json);

        StringBuilder md = new StringBuilder();
        md.append("# Normalization benchmark\n\n");
        md.append(String.format(Locale.ROOT, "%d samples of [%d, %d] float32 (%.2f MB per record), method `%s`, "
                + "%d round(s), %d partitions, started %s, %d processors, service JVM `%s`.%n%n", samples, frames,
                FeatureLayout.DIMS, sampleBytes / 1e6, method, rounds, PARTITIONS, started,
                Runtime.getRuntime().availableProcessors(), SERVICE_JVM));
        md.append("| pipeline | samples/s | MB/s |\n| --- | ---: | ---: |\n");
        md.append(String.format(Locale.ROOT, "| normalize (decode, validate, z-score, stamp, encode) | %.1f | %.1f |%n",
                normalize, normalizeMb));
        md.append(String.format(Locale.ROOT, "| pass-through (same service, signstream.normalization.pass-through=true) | %.1f | %.1f |%n",
                passThrough, passThroughMb));
        md.append(String.format(Locale.ROOT, "| **normalize / pass-through** | **%.2f** | |%n%n", normalize / passThrough));
        md.append(String.format(Locale.ROOT, "Step alone in process (no Kafka): %s samples/s, %s MB/s, %s ms/sample.%n%n",
                stepOnly.get("samplesPerSecond"), stepOnly.get("megabytesPerSecond"), stepOnly.get("millisPerSample")));
        md.append("| run | round | seconds | samples/s | MB/s |\n| --- | ---: | ---: | ---: | ---: |\n");
        for (Run run : runs) {
            md.append(String.format(Locale.ROOT, "| %s | %d | %.2f | %.1f | %.1f |%n", run.step(), run.round(),
                    run.seconds(), run.samplesPerSecond(), run.megabytesPerSecond()));
        }
        md.append("\n").append(json.get("notes")).append("\n");
        Files.writeString(output.resolve("normalization.md"), md.toString(), StandardCharsets.UTF_8);
        log("wrote %s and normalization.md: normalize %.1f samples/s (%.1f MB/s), pass-through %.1f samples/s "
                + "(%.1f MB/s), ratio %.2f", jsonFile, normalize, normalizeMb, passThrough, passThroughMb,
                normalize / passThrough);
    }

    /** The median over the rounds (the mean of the middle two for an even count): one slow round does not move it. */
    private static double median(List<Run> runs, String step, java.util.function.ToDoubleFunction<Run> value) {
        double[] sorted = runs.stream().filter(r -> r.step().equals(step)).mapToDouble(value).sorted().toArray();
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
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
