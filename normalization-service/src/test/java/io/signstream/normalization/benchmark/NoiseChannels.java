package io.signstream.normalization.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import io.signstream.contract.FeatureLayout;
import io.signstream.featurenormalization.NoiseFloor;
import io.signstream.featurenormalization.Normalization;
import io.signstream.featurenormalization.PerChannelZScore;
import io.signstream.landmarks.HolisticLandmarks;
import io.signstream.landmarks.HolisticLayout;
import io.signstream.landmarks.SharedFixtures;
import io.signstream.landmarks.derive.HolisticDerivation;
import io.signstream.landmarks.pose.PoseFile;
import io.signstream.landmarks.pose.PoseLandmarks;
import io.signstream.landmarks.pose.PoseReader;

/**
 * Measurement (not a timed test): which channels of a real MediaPipe Holistic recording carry nothing but float
 * noise, what version 1 ({@code max(std, 1e-6)}) and version 2 (noise-only channels exactly 0) of
 * {@code zscore-per-channel} make of them, and that version 2 leaves the slowest real channels at std 1. Plus a
 * synthetic reproduction (constant + Gaussian noise of 5e-8..7e-7, rounded to float32) and slow real motion.
 * <p>
 * Run: {@code mvn -B -o -pl normalization-service test-compile exec:java@noise-channels}
 * ({@code -Dnoise.pose=/path/to/file.pose}, default the shared recording, see {@code SharedFixtures}). Writes
 * {@code target/benchmarks/noise-channels.md}; a run is kept in {@code benchmarks/results/}.
 * <p>
 * The recording is read and laid out by the product's own code (landmark-features: the pose-format reader and the
 * holistic-landmarks derivation): 543 landmarks (pose 33, left hand 21, right hand 21, face 468) x (x, y, z), with
 * x / width and y / height in MediaPipe's normalized coordinates and z as stored; an undetected hand is zeros.
 * Velocity and acceleration are the first and second differences over frames.
 */
public final class NoiseChannels {

    /** Short names of {@link HolisticLayout#PARTS}, in layout order. */
    private static final String[] SHORT = { "pose", "left hand", "right hand", "face" };
    private static final String[] AXES = { "x", "y", "z" };

    private final Normalization v1 = new PerChannelZScore(1e-6);
    private final Normalization v2 = new PerChannelZScore(NoiseFloor.DEFAULT);
    private final StringBuilder md = new StringBuilder();

    private NoiseChannels() {
    }

    public static void main(String[] args) throws IOException {
        String given = System.getProperty("noise.pose");
        Path pose = given != null ? Path.of(given) : SharedFixtures.require(SharedFixtures.EXAMPLE_POSE);
        Path output = Path.of(System.getProperty("benchmark.output", "normalization-service/target/benchmarks"));
        NoiseChannels measurement = new NoiseChannels();
        measurement.run(pose);
        Files.createDirectories(output);
        Path file = output.resolve("noise-channels.md");
        Files.writeString(file, measurement.md.toString());
        System.out.println(measurement.md);
        System.out.println("wrote " + file.toAbsolutePath());
    }

    /** One feature channel of the recording, with its statistics before and after both versions. */
    private record Channel(String family, String name, double std, double mean, float maxAbs, double threshold,
            double v1Std, double v2Std) {
    }

    private void run(Path path) throws IOException {
        // Read and laid out by the product's own code: the pose-format reader and the holistic-landmarks derivation.
        PoseFile pose = PoseReader.read(Files.readAllBytes(path));
        HolisticLandmarks landmarks = PoseLandmarks.from(pose);
        List<String> names = new ArrayList<>();
        for (int k = 0; k < HolisticLayout.PARTS.size(); k++) {
            String component = HolisticLayout.PARTS.get(k).component();
            for (String point : pose.header().component(component).orElseThrow().points()) {
                for (String axis : AXES) {
                    names.add(SHORT[k] + " " + point + " " + axis);
                }
            }
        }
        int dims = names.size();
        int frames = landmarks.frames();
        float[] raw = landmarkColumns(landmarks);
        float[] velocity = difference(raw, frames, dims);
        float[] acceleration = difference(velocity, frames - 1, dims);
        int leftWrist = HolisticLayout.LEFT_HAND_FIRST;
        int rightWrist = HolisticLayout.RIGHT_HAND_FIRST;
        int leftPresent = 0;
        int rightPresent = 0;
        for (int t = 0; t < frames; t++) {
            leftPresent += landmarks.confidence()[t * HolisticLayout.POINTS + leftWrist] > 0 ? 1 : 0;
            rightPresent += landmarks.confidence()[t * HolisticLayout.POINTS + rightWrist] > 0 ? 1 : 0;
        }

        md.append("# Noise-only channels: version 1 versus version 2 of zscore-per-channel\n\n");
        md.append(String.format(Locale.ROOT, "Recording: `%s` (pose-format %.1f, %dx%d, %d frames at %.0f fps, "
                + "%d person; left hand detected in %d frames, right hand in %d). Laid out as the feature contract: "
                + "%d raw channels (543 landmarks x, y, z; x/width, y/height, z as stored; undetected hand = 0), their "
                + "velocities (%d frames) and accelerations (%d frames). Generated %s by `NoiseChannels` "
                + "(`mvn -B -o -pl normalization-service test-compile exec:java@noise-channels`).%n%n",
                path.getFileName(), pose.header().version(), pose.header().width(), pose.header().height(), frames,
                pose.body().fps(), pose.body().people(),
                leftPresent, rightPresent, dims, frames - 1, frames - 2, Instant.now()));
        md.append("- v1: `(x - mean) / max(std, 1e-6)` (stamp `zscore-per-channel@v1{epsilon=1.0E-6,...}`).\n");
        md.append("- v2: `(x - mean) / std`, and exactly 0 when `std <= max(1e-5, 16 * ulp((float) max|x|))` (stamp "
                + "`zscore-per-channel@v2{noise-floor=1.0E-5,noise-ulps=16,...}`).\n");
        md.append("- std: population std over time, in double; \"std after\" is the std of the normalized channel.\n\n");

        List<Channel> all = new ArrayList<>();
        all.addAll(channels("position", raw, frames, dims, names));
        all.addAll(channels("velocity", velocity, frames - 1, dims, names));
        all.addAll(channels("acceleration", acceleration, frames - 2, dims, names));

        md.append("## How the channels' std spreads (count of channels per decade)\n\n");
        md.append("| family | channels | exactly constant | <1e-8 | 1e-8..1e-7 | 1e-7..1e-6 | 1e-6..1e-5 | 1e-5..1e-4 "
                + "| 1e-4..1e-3 | 1e-3..1e-2 | 1e-2..1e-1 | >=1e-1 | zeroed by v2 |\n");
        md.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (String family : List.of("position", "velocity", "acceleration")) {
            List<Channel> of = all.stream().filter(c -> c.family().equals(family)).toList();
            int[] bins = new int[9];
            int constant = 0;
            int zeroed = 0;
            for (Channel c : of) {
                if (c.std() == 0) {
                    constant++;
                } else {
                    int bin = (int) Math.floor(Math.log10(c.std())) + 9;
                    bins[Math.max(0, Math.min(8, bin))]++;
                }
                zeroed += c.v2Std() == 0 ? 1 : 0;
            }
            md.append("| ").append(family).append(" | ").append(of.size()).append(" | ").append(constant);
            for (int bin : bins) {
                md.append(" | ").append(bin);
            }
            md.append(" | ").append(zeroed).append(" |\n");
        }

        List<Channel> noise = all.stream().filter(c -> c.std() > 0 && c.std() <= 1e-5).toList();
        md.append("\n## Channels whose std is at float-noise level (std <= 1e-5; nothing lies between them and 1e-4)\n\n");
        md.append("| family | channel | std | mean | max abs | ulp(max abs) | v2 threshold | std after v1 | std after v2 |\n");
        md.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (Channel c : noise) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %.3g | %.3g | %.3g | %.3g | %.3g | %.3f | %s |%n",
                    c.family(), c.name(), c.std(), c.mean(), c.maxAbs(), (double) Math.ulp(c.maxAbs()), c.threshold(),
                    c.v1Std(), c.v2Std() == 0 ? "0 (exactly)" : String.format(Locale.ROOT, "%.3f", c.v2Std())));
        }

        md.append("\nMediaPipe's hand-wrist z is 0 by definition (the hand's depth origin); what the file holds is the noise "
                + "of the unit-scale arithmetic it came from (ulp(1.0f) = 1.19e-7), not rounding of the value itself: "
                + "a threshold relative to the channel's own magnitude (ulp(max abs) ~3e-14 here) cannot see it, so "
                + "v2's threshold has an absolute part (1e-5, in the unit of the features) besides the ulp part.\n");
        md.append("\n### The wrist z over the frames where the hand is detected only\n\n");
        md.append("| channel | frames | std | max abs | std after v1 | std after v2 |\n| --- | ---: | ---: | ---: | ---: | ---: |\n");
        for (int h = 0; h < 2; h++) {
            int wrist = h == 0 ? leftWrist : rightWrist;
            List<Float> present = new ArrayList<>();
            for (int t = 0; t < frames; t++) {
                int point = t * HolisticLayout.POINTS + wrist;
                if (landmarks.confidence()[point] > 0) {
                    present.add(landmarks.xyz()[3 * point + 2]);
                }
            }
            float[] column = new float[present.size()];
            for (int i = 0; i < column.length; i++) {
                column[i] = present.get(i);
            }
            double v2Std = std(v2.apply(column, column.length, 1), column.length, 1, 0);
            md.append(String.format(Locale.ROOT, "| %s WRIST z | %d | %.3g | %.3g | %.3f | %s |%n",
                    h == 0 ? "left hand" : "right hand", column.length, std(column, column.length, 1, 0),
                    maxAbs(column, column.length, 1, 0), std(v1.apply(column, column.length, 1), column.length, 1, 0),
                    v2Std == 0 ? "0 (exactly)" : String.format(Locale.ROOT, "%.3f", v2Std)));
        }

        md.append("\n## The slowest real channels (smallest std above the noise level) keep std 1\n\n");
        md.append("| family | channel | std | max abs | std after v1 | std after v2 |\n| --- | --- | ---: | ---: | ---: | ---: |\n");
        for (String family : List.of("position", "velocity", "acceleration")) {
            all.stream().filter(c -> c.family().equals(family) && c.std() > 1e-5)
                    .sorted(Comparator.comparingDouble(Channel::std)).limit(4)
                    .forEach(c -> md.append(String.format(Locale.ROOT, "| %s | %s | %.3g | %.3g | %.6f | %.6f |%n",
                            c.family(), c.name(), c.std(), c.maxAbs(), c.v1Std(), c.v2Std())));
        }
        double maxNoise = noise.stream().mapToDouble(Channel::std).max().orElse(Double.NaN);
        double minReal = all.stream().filter(c -> c.std() > 1e-5).mapToDouble(Channel::std).min().orElse(Double.NaN);
        long realZeroed = all.stream().filter(c -> c.std() > 1e-5 && c.v2Std() == 0).count();
        long realChanged = all.stream().filter(c -> c.std() > 1e-5 && Math.abs(c.v2Std() - 1) > 1e-6).count();
        md.append(String.format(Locale.ROOT, "%nOn this recording: noise channels up to std %.3g, real channels from "
                + "std %.3g: a gap of %.0fx. v2's threshold 1e-5 is %.0fx the largest noise and %.0fx below the slowest "
                + "real channel; %d real channel(s) zeroed by v2, %d real channel(s) whose std after v2 is not 1 "
                + "(within 1e-6).%n", maxNoise, minReal, minReal / maxNoise, 1e-5 / maxNoise, minReal / 1e-5,
                realZeroed, realChanged));

        synthetic();
    }

    /** Constant + Gaussian noise rounded to float32, at the noise levels MediaPipe shows, and slow real motion. */
    private void synthetic() {
        int frames = 150;
        md.append("\n## Synthetic reproduction (150 frames, float32)\n\n");
        md.append("Noise: `(float) (c + sigma * N(0,1))`; ulp jitter: `c`, `nextUp(c)`, `nextDown(c)` at random; "
                + "slow motion: `(float) (0.5 + a * sin(t / 10) + 7e-7 * N(0,1))`; velocity: `(float) (s * N(0,1))`.\n\n");
        md.append("| channel | std | std after v1 | std after v2 |\n| --- | ---: | ---: | ---: |\n");
        Random random = new Random(20261130);
        for (double c : new double[] { 0.0, 0.5, 0.9 }) {
            for (double sigma : new double[] { 5e-8, 1e-7, 3e-7, 7e-7 }) {
                float[] column = new float[frames];
                for (int t = 0; t < frames; t++) {
                    column[t] = (float) (c + sigma * random.nextGaussian());
                }
                row(String.format(Locale.ROOT, "%.1f + noise %.0e", c, sigma), column);
            }
        }
        for (float c : new float[] { 0.5f, 1000f }) {
            float[] column = new float[frames];
            for (int t = 0; t < frames; t++) {
                int k = random.nextInt(3);
                column[t] = k == 0 ? c : k == 1 ? Math.nextUp(c) : Math.nextDown(c);
            }
            row(String.format(Locale.ROOT, "%s +- 1 ulp (%.2g)", c, (double) Math.ulp(c)), column);
        }
        for (double a : new double[] { 1e-5, 2e-5, 1.4e-4, 1.4e-3 }) {
            float[] column = new float[frames];
            for (int t = 0; t < frames; t++) {
                column[t] = (float) (0.5 + a * Math.sin(t / 10.0) + 7e-7 * random.nextGaussian());
            }
            row(String.format(Locale.ROOT, "slow motion, amplitude %.1e", a), column);
        }
        for (double s : new double[] { 1e-4, 1e-3 }) {
            float[] column = new float[frames];
            for (int t = 0; t < frames; t++) {
                column[t] = (float) (s * random.nextGaussian());
            }
            row(String.format(Locale.ROOT, "velocity, std %.0e", s), column);
        }
    }

    private void row(String name, float[] column) {
        int frames = column.length;
        double v2Std = std(v2.apply(column, frames, 1), frames, 1, 0);
        md.append(String.format(Locale.ROOT, "| %s | %.3g | %.3f | %s |%n", name, std(column, frames, 1, 0),
                std(v1.apply(column, frames, 1), frames, 1, 0),
                v2Std == 0 ? "0 (exactly)" : String.format(Locale.ROOT, "%.6f", v2Std)));
    }

    /**
     * The 1629 raw landmark columns of each frame ([frames, 1629], row-major) as the holistic-landmarks derivation
     * lays them out, without its temporal block: what the noise analysis is about.
     */
    public static float[] landmarkColumns(HolisticLandmarks landmarks) {
        float[] features = HolisticDerivation.derive(landmarks);
        int frames = landmarks.frames();
        int dims = FeatureLayout.RAW_LANDMARK_VALUES;
        float[] raw = new float[frames * dims];
        for (int t = 0; t < frames; t++) {
            System.arraycopy(features, t * FeatureLayout.DIMS, raw, t * dims, dims);
        }
        return raw;
    }

    private List<Channel> channels(String family, float[] values, int frames, int dims, List<String> names) {
        float[] a = v1.apply(values, frames, dims);
        float[] b = v2.apply(values, frames, dims);
        List<Channel> channels = new ArrayList<>(dims);
        for (int c = 0; c < dims; c++) {
            float max = maxAbs(values, frames, dims, c);
            channels.add(new Channel(family, names.get(c), std(values, frames, dims, c), mean(values, frames, dims, c),
                    max, NoiseFloor.DEFAULT.threshold(max), std(a, frames, dims, c), std(b, frames, dims, c)));
        }
        return channels;
    }

    private static float[] difference(float[] values, int frames, int dims) {
        float[] out = new float[(frames - 1) * dims];
        for (int t = 1; t < frames; t++) {
            for (int c = 0; c < dims; c++) {
                out[(t - 1) * dims + c] = values[t * dims + c] - values[(t - 1) * dims + c];
            }
        }
        return out;
    }

    private static double mean(float[] values, int frames, int dims, int c) {
        double sum = 0;
        for (int t = 0; t < frames; t++) {
            sum += values[t * dims + c];
        }
        return sum / frames;
    }

    private static double std(float[] values, int frames, int dims, int c) {
        double mean = mean(values, frames, dims, c);
        double squares = 0;
        for (int t = 0; t < frames; t++) {
            double d = values[t * dims + c] - mean;
            squares += d * d;
        }
        return Math.sqrt(squares / frames);
    }

    private static float maxAbs(float[] values, int frames, int dims, int c) {
        float max = 0;
        for (int t = 0; t < frames; t++) {
            max = Math.max(max, Math.abs(values[t * dims + c]));
        }
        return max;
    }
}
