package io.signstream.scoring.bench;

import io.signstream.scoring.decode.CtcDecoder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

/**
 * Decoding speed at PHOENIX-2014 scale (1,232 glosses + blank, 100 output frames per sample), written to
 * {@code target/benchmarks/ctc-decoder.json}. Not part of {@code mvn verify}; run with
 * {@code mvn -B -o -pl sequence-scoring test-compile exec:java -Dexec.mainClass=io.signstream.scoring.bench.DecoderBenchmark -Dexec.classpathScope=test}.
 */
public final class DecoderBenchmark {

    public static void main(String[] args) throws IOException {
        int classes = 1233;
        int frames = 100;
        int samples = 50;
        Random random = new Random(1);
        float[][][] inputs = new float[samples][][];
        for (int s = 0; s < samples; s++) {
            inputs[s] = peaked(random, frames, classes);
        }
        StringBuilder json = new StringBuilder("{\n  \"classes\": " + classes + ",\n  \"frames\": " + frames
                + ",\n  \"samples\": " + samples + ",\n  \"msPerSample\": {\n");
        String[] names = {"greedy", "beam1", "beam5", "beam10", "beam25"};
        int[] widths = {0, 1, 5, 10, 25};
        for (int k = 0; k < names.length; k++) {
            int width = widths[k];
            for (int warmup = 0; warmup < 3; warmup++) {
                run(inputs, width);
            }
            // Median of 7 rounds: the build machines are shared, single rounds are noisy.
            double[] rounds = new double[7];
            for (int round = 0; round < rounds.length; round++) {
                long start = System.nanoTime();
                run(inputs, width);
                rounds[round] = (System.nanoTime() - start) / 1e6 / samples;
            }
            java.util.Arrays.sort(rounds);
            double ms = rounds[rounds.length / 2];
            json.append(String.format(Locale.ROOT, "    \"%s\": %.3f%s%n", names[k], ms, k + 1 < names.length ? "," : ""));
            System.out.printf(Locale.ROOT, "%-7s %.3f ms/sample%n", names[k], ms);
        }
        json.append("  }\n}\n");
        Path out = moduleTarget().resolve("benchmarks").resolve("ctc-decoder.json");
        Files.createDirectories(out.getParent());
        Files.writeString(out, json);
        System.out.println("written " + out.toAbsolutePath());
    }

    /** This module's target folder (exec:java runs in the reactor root). */
    private static Path moduleTarget() {
        try {
            Path testClasses = Path.of(DecoderBenchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return testClasses.getParent();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int run(float[][][] inputs, int width) {
        int total = 0;
        for (float[][] input : inputs) {
            total += (width == 0 ? CtcDecoder.greedy(input) : CtcDecoder.beamSearch(input, width)).length;
        }
        return total;
    }

    /** A model-like output: mostly blank, sometimes a gloss, both with a softmax tail over all classes. */
    private static float[][] peaked(Random random, int frames, int classes) {
        float[][] logProbs = new float[frames][classes];
        for (int t = 0; t < frames; t++) {
            double[] logits = new double[classes];
            for (int c = 0; c < classes; c++) {
                logits[c] = random.nextGaussian();
            }
            logits[random.nextInt(3) == 0 ? 1 + random.nextInt(classes - 1) : 0] += 8;
            double max = Double.NEGATIVE_INFINITY;
            for (double v : logits) {
                max = Math.max(max, v);
            }
            double sum = 0;
            for (double v : logits) {
                sum += Math.exp(v - max);
            }
            double logZ = max + Math.log(sum);
            for (int c = 0; c < classes; c++) {
                logProbs[t][c] = (float) (logits[c] - logZ);
            }
        }
        return logProbs;
    }
}
