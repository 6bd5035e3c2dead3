package io.signstream.teacher.benchmark;

import ai.djl.pytorch.jni.JniUtils;
import io.signstream.teacher.StepResult;
import io.signstream.teacher.TeacherBatch;
import io.signstream.teacher.TeacherConfig;
import io.signstream.teacher.TeacherSession;
import io.signstream.teacher.TestBatches;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Times training steps of the default teacher (B=2, T=200) on this machine; not a test.
 *
 * <pre>
 * cd /work/main &amp;&amp; mvn -B -o -pl teacher-model test-compile exec:java \
 *   -Dexec.mainClass=io.signstream.teacher.benchmark.TrainingStepBenchmark -Dexec.classpathScope=test \
 *   [-Dexec.args="steps warmup batch frames vocabulary"] [-Dai.djl.pytorch.num_threads=N]
 * </pre>
 *
 * Writes teacher-model/target/benchmarks/training-step.json and .md.
 */
public final class TrainingStepBenchmark {

    public static void main(String[] args) throws IOException {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int batchSize = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        int frames = args.length > 3 ? Integer.parseInt(args[3]) : 200;
        int vocabulary = args.length > 4 ? Integer.parseInt(args[4]) : 1231;
        // -Dstep.stride=1|4|16 -Dstep.temporalAttention=true|false: the default teacher at another output rate.
        TeacherConfig config = TeacherConfig.defaults()
                .withTemporalStride(Integer.getInteger("step.stride", TeacherConfig.DEFAULT_TEMPORAL_STRIDE))
                .withTemporalAttention(Boolean.parseBoolean(System.getProperty("step.temporalAttention",
                        Boolean.toString(TeacherConfig.DEFAULT_TEMPORAL_ATTENTION))));
        int[] lengths = new int[batchSize];
        int[][] targets = new int[batchSize][];
        for (int b = 0; b < batchSize; b++) {
            lengths[b] = frames - 10 * b;
            targets[b] = new int[] {1 + b, 7, 42, 42, 300, 9, 1000 % vocabulary + 1};
        }
        TeacherBatch batch = TestBatches.batch(lengths, targets, 17);
        List<Double> stepMs = new ArrayList<>();
        List<Double> backwardMs = new ArrayList<>();
        List<Double> forwardMs = new ArrayList<>();
        long parameters;
        String device;
        int skipped = 0;
        try (TeacherSession session = TeacherSession.create(config, vocabulary, 1)) {
            parameters = session.parameterCount();
            device = session.device();
            for (int i = 0; i < warmup + steps; i++) {
                long t0 = System.nanoTime();
                StepResult result = session.trainStep(batch, 1e-4f);
                long t1 = System.nanoTime();
                if (i >= warmup) {
                    stepMs.add((t1 - t0) / 1e6);
                    skipped += result.skipped() ? 1 : 0;
                }
                System.out.printf(Locale.ROOT, "step %d: %.1f ms loss %.4f grad norm %.3f%s%n", i, (t1 - t0) / 1e6,
                        result.loss(), result.gradNorm(), i < warmup ? " (warmup)" : "");
            }
            // Where the time goes: forward only, forward + CTC + backward (no update).
            for (int i = 0; i < Math.max(3, steps / 4); i++) {
                long t0 = System.nanoTime();
                session.logProbs(batch.withoutTargets());
                long t1 = System.nanoTime();
                session.probeGradients(batch);
                long t2 = System.nanoTime();
                forwardMs.add((t1 - t0) / 1e6);
                backwardMs.add((t2 - t1) / 1e6);
            }
        }
        double mean = stepMs.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        double median = percentile(stepMs, 50);
        double p90 = percentile(stepMs, 90);
        long heapUsed = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long heapCommitted = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted();
        long peakRss = procStatus("VmHWM");
        long rss = procStatus("VmRSS");
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        int threads = JniUtils.getNumThreads();
        String json = String.format(Locale.ROOT, """
                {
                  "benchmark": "training-step",
                  "config": "TeacherConfig.defaults()",
                  "temporalStride": %d,
                  "temporalAttention": %b,
                  "parameters": %d,
                  "vocabulary": %d,
                  "batchSize": %d,
                  "frames": %d,
                  "device": "%s",
                  "torchThreads": %d,
                  "cpus": %d,
                  "loadAverage": %.2f,
                  "warmupSteps": %d,
                  "steps": %d,
                  "skippedSteps": %d,
                  "stepMsMean": %.2f,
                  "stepMsMedian": %.2f,
                  "stepMsP90": %.2f,
                  "samplesPerSecond": %.2f,
                  "forwardOnlyMsMedian": %.2f,
                  "forwardCtcBackwardMsMedian": %.2f,
                  "peakRssBytes": %d,
                  "rssBytes": %d,
                  "heapUsedBytes": %d,
                  "heapCommittedBytes": %d,
                  "nativeEstimateBytes": %d
                }
                """, config.temporalStride(), config.temporalAttention(), parameters, vocabulary, batchSize, frames,
                device, threads, Runtime.getRuntime().availableProcessors(), load, warmup, steps, skipped, mean, median, p90,
                batchSize * 1000.0 / median, percentile(forwardMs, 50), percentile(backwardMs, 50), peakRss, rss,
                heapUsed, heapCommitted, rss - heapCommitted);
        String md = String.format(Locale.ROOT, """
                # Training step benchmark (TeacherConfig.defaults(), stride %d, temporal attention %b)

                | figure | value |
                | --- | --- |
                | parameters | %,d (vocabulary %d) |
                | batch x frames | %d x %d |
                | device / torch threads / CPUs | %s / %d / %d |
                | load average during run | %.2f |
                | step ms mean / median / p90 | %.1f / %.1f / %.1f |
                | samples per second | %.2f |
                | forward only, median ms | %.1f |
                | forward + CTC + backward (no update), median ms | %.1f |
                | peak RSS | %.0f MiB |
                | Java heap used / committed | %.0f / %.0f MiB |
                | native (RSS - committed heap) | %.0f MiB |

                %d timed steps after %d warmup steps; %d skipped.
                """, config.temporalStride(), config.temporalAttention(), parameters, vocabulary, batchSize, frames,
                device, threads, Runtime.getRuntime().availableProcessors(), load, mean, median, p90, batchSize * 1000.0 / median,
                percentile(forwardMs, 50), percentile(backwardMs, 50), peakRss / 1048576.0, heapUsed / 1048576.0,
                heapCommitted / 1048576.0, (rss - heapCommitted) / 1048576.0, steps, warmup, skipped);
        Path dir = Path.of(System.getProperty("benchmark.dir", "teacher-model/target/benchmarks"));
        if (!Files.isDirectory(dir.getParent() == null ? Path.of(".") : dir.getParent())) {
            dir = Path.of("target/benchmarks");
        }
        Files.createDirectories(dir);
        String name = "training-step-s" + config.temporalStride() + (config.temporalAttention() ? "-ta" : "");
        Files.writeString(dir.resolve(name + ".json"), json);
        Files.writeString(dir.resolve(name + ".md"), md);
        System.out.println(md);
        System.out.println("written to " + dir.toAbsolutePath());
    }

    private static double percentile(List<Double> values, int percent) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static long procStatus(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key + ":")) {
                    String[] parts = line.split("\\s+");
                    return Long.parseLong(parts[1]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    private TrainingStepBenchmark() {}

}
