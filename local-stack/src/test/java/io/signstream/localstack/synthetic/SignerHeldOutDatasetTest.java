package io.signstream.localstack.synthetic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.signstream.contract.FeatureLayout;
import io.signstream.contract.SampleValidator;
import io.signstream.contract.npy.FeatureMatrix;
import io.signstream.contract.npy.Npy;
import io.signstream.contract.proto.FeatureSample;
import io.signstream.contract.proto.Split;
import io.signstream.localstack.synthetic.SignerHeldOutDataset.Script;
import io.signstream.localstack.synthetic.SignerHeldOutDataset.Signer;

class SignerHeldOutDatasetTest {

    private static final int D = FeatureLayout.DIMS;
    private static final int RAW = FeatureLayout.RAW_LANDMARK_VALUES;
    /** First columns of MediaPipe's left-hand and right-hand blocks (21 x 3 values each). */
    private static final int LEFT = 3 * 33;
    private static final int RIGHT = 3 * (33 + 21);
    private static final List<Split> SPLITS = List.of(Split.TRAIN, Split.DEV, Split.TEST);

    private final SignerHeldOutOptions small = SignerHeldOutOptions.small();
    /** The default signers and glosses with fewer samples. */
    private final SignerHeldOutOptions benchmark = SignerHeldOutOptions.defaults().withSamples(60, 12, 12);

    @Test
    void devAndTestAreSignedOnlyBySignersTrainNeverShows() {
        SignerHeldOutDataset dataset = new SignerHeldOutDataset(benchmark);
        Set<String> train = new TreeSet<>();
        Set<String> dev = new TreeSet<>();
        Set<String> test = new TreeSet<>();
        for (int i = 0; i < dataset.count(Split.TRAIN); i++) {
            train.add(dataset.script(Split.TRAIN, i).signer().name());
        }
        for (int i = 0; i < dataset.count(Split.DEV); i++) {
            dev.add(dataset.sample(Split.DEV, i).signer());
        }
        for (int i = 0; i < dataset.count(Split.TEST); i++) {
            test.add(dataset.sample(Split.TEST, i).signer());
        }
        assertEquals(Set.of("Signer01", "Signer02", "Signer03", "Signer04", "Signer05", "Signer06"), train,
                "every training signer signs TRAIN, and only they");
        assertEquals(Set.of("Signer07"), dev);
        assertEquals(Set.of("Signer08"), test);
        assertTrue(dataset.sample(Split.TRAIN, 0).signer().matches("Signer0[1-6]"), "the sample carries its signer");

        // the left-handed signer trains; a held-out signer lies outside the training signers' speed or size
        List<Signer> trainers = dataset.signers(Split.TRAIN);
        assertTrue(trainers.stream().anyMatch(Signer::leftHanded), "a left-handed signer among the training signers");
        assertEquals(1, dataset.signers().stream().filter(Signer::leftHanded).count());
        double minSpeed = trainers.stream().mapToDouble(Signer::speed).min().orElseThrow();
        double maxSpeed = trainers.stream().mapToDouble(Signer::speed).max().orElseThrow();
        double maxScale = trainers.stream().mapToDouble(Signer::scale).max().orElseThrow();
        double minScale = trainers.stream().mapToDouble(Signer::scale).min().orElseThrow();
        assertTrue(dataset.signers(Split.TEST).stream().anyMatch(s -> s.speed() > maxSpeed || s.speed() < minSpeed)
                && dataset.signers(Split.TEST).stream().anyMatch(s -> s.scale() > maxScale || s.scale() < minScale),
                "the test signer signs at a speed and has a size no training signer has");
        for (Signer signer : dataset.signers()) {
            assertTrue(signer.speed() >= SignerHeldOutDataset.MIN_SPEED && signer.speed() <= SignerHeldOutDataset.MAX_SPEED);
        }
        // signers differ in body position and size
        assertEquals(8, dataset.signers().stream().map(s -> Math.round(s.scale() * 1000)).distinct().count());

        // the held-out signers are configurable, and must be disjoint and leave a training signer
        SignerHeldOutDataset other = new SignerHeldOutDataset(benchmark.withSigners(5, List.of(0), List.of(1, 2), List.of(4)));
        assertEquals(Set.of(3, 4), new HashSet<>(other.signers(Split.TRAIN).stream().map(Signer::index).toList()));
        assertThrows(IllegalArgumentException.class, () -> benchmark.withSigners(3, List.of(0), List.of(0), List.of()));
        assertThrows(IllegalArgumentException.class, () -> benchmark.withSigners(2, List.of(0), List.of(1), List.of()));
    }

    @Test
    void glossesLastTheirFramesDividedByTheSignersSpeedBetweenRestFrames() {
        SignerHeldOutDataset dataset = new SignerHeldOutDataset(benchmark);
        int shortest = (int) Math.floor(benchmark.minFramesPerGloss() / SignerHeldOutDataset.MAX_SPEED);
        int longest = (int) Math.ceil(benchmark.maxFramesPerGloss() / SignerHeldOutDataset.MIN_SPEED);
        int glosses = 0;
        long frames = 0;
        int repeats = 0;
        Set<Integer> durations = new HashSet<>();
        for (Split split : SPLITS) {
            for (int i = 0; i < dataset.count(split); i++) {
                Script script = dataset.script(split, i);
                int n = script.glosses().length;
                assertTrue(n >= benchmark.minGlosses() && n <= benchmark.maxGlosses());
                assertTrue(script.leadingRest() >= benchmark.minRestFrames() && script.leadingRest() <= benchmark.maxRestFrames());
                assertTrue(script.trailingRest() >= benchmark.minRestFrames() && script.trailingRest() <= benchmark.maxRestFrames());
                int t = script.leadingRest();
                for (int g = 0; g < n; g++) {
                    assertEquals(t, script.starts()[g], "glosses follow each other without a gap");
                    int duration = script.durations()[g];
                    assertTrue(duration >= shortest && duration <= longest, duration + " frames");
                    // and within the gloss's own range at this signer's speed
                    double speed = script.signer().speed();
                    assertTrue(duration >= Math.floor(benchmark.minFramesPerGloss() / speed)
                            && duration <= Math.ceil(benchmark.maxFramesPerGloss() / speed), duration + " at " + speed);
                    durations.add(duration);
                    t += duration;
                    if (g > 0 && script.glosses()[g] == script.glosses()[g - 1]) {
                        repeats++;
                    }
                }
                assertEquals(t + script.trailingRest(), script.frames());
                glosses += n;
                frames += t - script.leadingRest();
            }
        }
        assertTrue(durations.size() >= 8, "durations vary: " + durations);
        double mean = (double) frames / glosses;
        assertTrue(mean > 9 && mean < 16, "about 12 frames per gloss on average, PHOENIX-like: " + mean);
        assertTrue(repeats > 0, "adjacent repeats happen now and then");
        assertEquals(dataset.script(Split.DEV, 3).frames(), dataset.sample(Split.DEV, 3).frames());
    }

    @Test
    void undetectedHandsAreExactlyZeroInShortRunsAtTheConfiguredRate() {
        SignerHeldOutOptions options = small.withSamples(60, 0, 0).withMissingHands(0.05, 0);
        SignerHeldOutDataset dataset = new SignerHeldOutDataset(options);
        long handFrames = 0;
        long missing = 0;
        int longestRun = 0;
        int runsLongerThanOne = 0;
        for (SyntheticSample sample : dataset.samples(Split.TRAIN)) {
            for (int block : new int[] {LEFT, RIGHT}) {
                int run = 0;
                for (int t = 0; t < sample.frames(); t++) {
                    int zeros = 0;
                    for (int c = 0; c < 63; c++) {
                        if (sample.features()[t * D + block + c] == 0.0f) {
                            zeros++;
                        }
                    }
                    assertTrue(zeros == 0 || zeros == 63, "a hand is detected (no zero) or not (all 63 zero): " + zeros);
                    handFrames++;
                    if (zeros == 63) {
                        missing++;
                        run++;
                        longestRun = Math.max(longestRun, run);
                    } else {
                        runsLongerThanOne += run > 1 ? 1 : 0;
                        run = 0;
                    }
                }
            }
        }
        double share = (double) missing / handFrames;
        assertTrue(share > 0.03 && share < 0.07, "share of undetected hand frames " + share + " near 0.05");
        assertTrue(longestRun <= 4, "short runs: " + longestRun);
        assertTrue(runsLongerThanOne > 0, "runs, not only single frames");

        // none missing when asked for none; a hand out of frame for whole samples when asked for always
        for (SyntheticSample sample : new SignerHeldOutDataset(options.withMissingHands(0, 0).withSamples(5, 0, 0)).samples(Split.TRAIN)) {
            for (int t = 0; t < sample.frames(); t++) {
                assertFalse(allZero(sample, t, LEFT) || allZero(sample, t, RIGHT));
            }
        }
        SignerHeldOutDataset outOfFrame = new SignerHeldOutDataset(options.withMissingHands(0, 1).withSamples(8, 0, 0));
        for (int i = 0; i < 8; i++) {
            SyntheticSample sample = outOfFrame.sample(Split.TRAIN, i);
            boolean leftHanded = outOfFrame.script(Split.TRAIN, i).signer().leftHanded();
            int other = leftHanded ? RIGHT : LEFT;
            int dominant = leftHanded ? LEFT : RIGHT;
            for (int t = 0; t < sample.frames(); t++) {
                assertTrue(allZero(sample, t, other), "the non-dominant hand is out of frame");
                assertFalse(allZero(sample, t, dominant));
            }
        }
    }

    @Test
    void theLeftHandedSignersDominantHandIsMediaPipesLeftHand() {
        // exactly: the same sentences signed left-handed are the right-handed ones mirrored about the body's centre,
        // the right-hand block's motion in the left-hand block and the other way round
        SignerHeldOutOptions clean = small.withSamples(6, 0, 0).withMissingHands(0, 0).withNoise(0, 0);
        SignerHeldOutDataset lefty = new SignerHeldOutDataset(clean.withSigners(4, List.of(2), List.of(3), List.of(0, 1)));
        SignerHeldOutDataset righty = new SignerHeldOutDataset(clean.withSigners(4, List.of(2), List.of(3), List.of()));
        for (int i = 0; i < clean.trainSamples(); i++) {
            SyntheticSample left = lefty.sample(Split.TRAIN, i);
            SyntheticSample right = righty.sample(Split.TRAIN, i);
            assertEquals(right.glosses(), left.glosses());
            double centre = 0.5 + lefty.script(Split.TRAIN, i).signer().offsetX();
            for (int t = 0; t < left.frames(); t++) {
                for (int[] blocks : new int[][] {{LEFT, RIGHT}, {RIGHT, LEFT}}) {
                    for (int k = 0; k < 21; k++) {
                        int mirrored = t * D + blocks[0] + 3 * k;
                        int original = t * D + blocks[1] + 3 * k;
                        assertEquals(2 * centre - right.features()[original], left.features()[mirrored], 1e-5);
                        assertEquals(right.features()[original + 1], left.features()[mirrored + 1], 1e-6);
                        assertEquals(right.features()[original + 2], left.features()[mirrored + 2], 1e-6);
                    }
                }
            }
        }

        // and in the data set: the left-handed training signer's left hand moves most, everybody else's right
        SignerHeldOutDataset dataset = new SignerHeldOutDataset(benchmark.withMissingHands(0, 0).withNoise(0, 0));
        double[] leftHanded = new double[2];
        double[] rightHanded = new double[2];
        for (int i = 0; i < dataset.count(Split.TRAIN); i++) {
            SyntheticSample sample = dataset.sample(Split.TRAIN, i);
            double[] paths = dataset.script(Split.TRAIN, i).signer().leftHanded() ? leftHanded : rightHanded;
            paths[0] += wristPath(sample, LEFT);
            paths[1] += wristPath(sample, RIGHT);
        }
        assertTrue(leftHanded[0] > 0 && rightHanded[0] > 0, "both kinds of signer sign TRAIN");
        assertTrue(leftHanded[0] > 1.3 * leftHanded[1], "left-handed: the left hand moves most " + Arrays.toString(leftHanded));
        assertTrue(rightHanded[1] > 1.3 * rightHanded[0], "right-handed: the right hand moves most " + Arrays.toString(rightHanded));
    }

    @Test
    void glossesBlendIntoEachOtherWithoutARestBetweenThem() {
        SignerHeldOutOptions clean = small.withSamples(30, 0, 0).withMissingHands(0, 0).withNoise(0, 0)
                .withSentenceLength(4, 6);
        double blended = largestBoundaryStep(new SignerHeldOutDataset(clean));
        double abrupt = largestBoundaryStep(new SignerHeldOutDataset(new SignerHeldOutOptions(clean.vocabularySize(),
                clean.minGlosses(), clean.maxGlosses(), clean.trainSamples(), 0, 0, clean.minFramesPerGloss(),
                clean.maxFramesPerGloss(), 0, clean.minRestFrames(), clean.maxRestFrames(), clean.repeatRate(),
                clean.similarPairs(), clean.signers(), clean.devSigners(), clean.testSigners(),
                clean.leftHandedSigners(), 0, 0, 0, 0, clean.seed())));
        assertTrue(abrupt > 2 * blended, "co-articulation smooths the boundaries: " + blended + " vs " + abrupt);

        // rest: the first and last frames have both hands low (below the chest); inside the sentence the dominant
        // hand does not go back there between glosses
        SignerHeldOutDataset dataset = new SignerHeldOutDataset(clean);
        int restingBetweenGlosses = 0;
        int boundaries = 0;
        for (int i = 0; i < dataset.count(Split.TRAIN); i++) {
            SyntheticSample sample = dataset.sample(Split.TRAIN, i);
            Script script = dataset.script(Split.TRAIN, i);
            Signer signer = script.signer();
            double restY = 0.44 + signer.offsetY() + 0.105 * signer.scale() * 2.0;
            for (int t : new int[] {0, sample.frames() - 1}) {
                assertTrue(sample.features()[t * D + LEFT + 1] > restY && sample.features()[t * D + RIGHT + 1] > restY,
                        "hands at rest on frame " + t);
            }
            int dominant = signer.leftHanded() ? LEFT : RIGHT;
            for (int g = 1; g < script.glosses().length; g++) {
                boundaries++;
                if (sample.features()[script.starts()[g] * D + dominant + 1] > restY + 0.02) {
                    restingBetweenGlosses++;
                }
            }
        }
        assertTrue(restingBetweenGlosses < boundaries / 10, restingBetweenGlosses + " of " + boundaries);
    }

    @Test
    void similarPairsDifferInOnePropertyAndTheFaceSaysLittle() {
        SignerHeldOutDataset dataset = new SignerHeldOutDataset(benchmark);
        for (int pair = 0; pair < benchmark.similarPairs(); pair++) {
            Sign a = dataset.sign(2 * pair);
            Sign b = dataset.sign(2 * pair + 1);
            int differences = (a.handshape() != b.handshape() ? 1 : 0) + (a.location() != b.location() ? 1 : 0)
                    + (a.reversed() != b.reversed() ? 1 : 0);
            assertEquals(1, differences, "pair " + pair + ": " + a + " / " + b);
            assertEquals(a.movement(), b.movement());
            assertEquals(a.direction(), b.direction());
            assertEquals(a.twoHanded(), b.twoHanded());
        }
        Sign loner = dataset.sign(2 * benchmark.similarPairs());
        Sign next = dataset.sign(2 * benchmark.similarPairs() + 1);
        assertFalse(loner.direction() == next.direction(), "beyond the pairs, signs are drawn independently");

        // the face moves, but far less than the dominant hand
        SyntheticSample sample = new SignerHeldOutDataset(small.withMissingHands(0, 0).withNoise(0, 0)).sample(Split.TRAIN, 0);
        double face = 0;
        double hand = 0;
        for (int t = 1; t < sample.frames(); t++) {
            for (int c = 3 * 75; c < RAW; c++) {
                face += Math.abs(sample.features()[t * D + RAW + c]);
            }
            for (int c = LEFT; c < 3 * 75; c++) {
                hand += Math.abs(sample.features()[t * D + RAW + c]);
            }
        }
        face /= RAW - 3 * 75;
        hand /= 2 * 63;
        assertTrue(face > 0 && face < 0.25 * hand, "face " + face + " hand " + hand);
    }

    @Test
    void sameSeedSameBytesOtherSeedOtherData() {
        SyntheticSample a = new SignerHeldOutDataset(small).sample(Split.TRAIN, 5);
        SignerHeldOutDataset fresh = new SignerHeldOutDataset(small);
        fresh.sample(Split.TEST, 2);
        SyntheticSample b = fresh.sample(Split.TRAIN, 5);
        assertArrayEquals(Npy.toBytes(a.matrix()), Npy.toBytes(b.matrix()), "in any order, the same bytes");
        assertEquals(a.glosses(), b.glosses());
        assertEquals(a.signer(), b.signer());

        SyntheticSample other = new SignerHeldOutDataset(small.withSeed(small.seed() + 1)).sample(Split.TRAIN, 5);
        assertFalse(Arrays.equals(a.features(), other.features()));
        assertFalse(Arrays.equals(a.features(), fresh.sample(Split.TRAIN, 6).features()));
        assertThrows(IndexOutOfBoundsException.class, () -> fresh.sample(Split.DEV, small.devSamples()));
    }

    @Test
    void temporalColumnsAreTheBackwardDifferencesOfTheRawValues() {
        SyntheticSample sample = new SignerHeldOutDataset(small).sample(Split.DEV, 1);
        float[] x = sample.features();
        int frames = sample.frames();
        double[] previousV = new double[RAW];
        double[] previousA = new double[RAW];
        for (int t = 0; t < frames; t++) {
            for (int c = 0; c < RAW; c++) {
                double v = t == 0 ? 0 : (double) x[t * D + c] - x[(t - 1) * D + c];
                double a = t == 0 ? 0 : v - previousV[c];
                double j = t == 0 ? 0 : a - previousA[c];
                assertEquals(v, x[t * D + RAW + c], 1e-5, "velocity t=" + t + " c=" + c);
                assertEquals(a, x[t * D + 2 * RAW + c], 2e-5, "acceleration t=" + t + " c=" + c);
                assertEquals(j, x[t * D + 3 * RAW + c], 4e-5, "jerk t=" + t + " c=" + c);
                previousV[c] = v;
                previousA[c] = a;
            }
        }
    }

    @Test
    void everyValueIsFiniteAndSamplesAreValidRawRecords() {
        SignerHeldOutDataset dataset = new SignerHeldOutDataset(small);
        SampleValidator validator = new SampleValidator();
        for (Split split : SPLITS) {
            List<FeatureSample> records = dataset.featureSamples(split);
            assertEquals(dataset.count(split), records.size());
            for (FeatureSample record : records) {
                assertFalse(record.hasNormalization(), "raw samples carry no stamp (NONE)");
                float[] values = validator.validate(record);
                assertEquals(D * record.getFrameCount(), values.length);
                for (float value : values) {
                    assertTrue(Float.isFinite(value));
                }
                for (String gloss : record.getGlossesList()) {
                    assertTrue(dataset.glosses().contains(gloss));
                }
            }
        }
        assertEquals(small.vocabularySize(), new HashSet<>(dataset.glosses()).size());
    }

    @Test
    void writesThePhoenixLayout(@TempDir Path root) throws Exception {
        SignerHeldOutDataset dataset = new SignerHeldOutDataset(small.withSamples(3, 2, 2));
        dataset.writePhoenix(root);
        for (Split split : SPLITS) {
            String name = split.name().toLowerCase(java.util.Locale.ROOT);
            List<String> corpus = Files.readAllLines(root.resolve(name + ".corpus.csv"), StandardCharsets.UTF_8);
            assertEquals("id|folder|signer|annotation", corpus.get(0));
            assertEquals(dataset.count(split) + 1, corpus.size());
            for (int i = 0; i < dataset.count(split); i++) {
                SyntheticSample expected = dataset.sample(split, i);
                String[] columns = corpus.get(i + 1).split("\\|");
                assertEquals(List.of(expected.id(), expected.id() + "/1/*.png", expected.signer(),
                        String.join(" ", expected.glosses())), List.of(columns));
                FeatureMatrix read = Npy.read(Files.readAllBytes(root.resolve(name).resolve(expected.id() + ".npy")));
                assertEquals(expected.frames(), read.rows());
                assertEquals(D, read.columns());
                assertArrayEquals(expected.features(), read.values());
            }
        }
    }

    private static boolean allZero(SyntheticSample sample, int t, int block) {
        for (int c = 0; c < 63; c++) {
            if (sample.features()[t * D + block + c] != 0.0f) {
                return false;
            }
        }
        return true;
    }

    /** How far a hand block's wrist travels in the image over the sample. */
    private static double wristPath(SyntheticSample sample, int block) {
        double path = 0;
        for (int t = 1; t < sample.frames(); t++) {
            double dx = sample.features()[t * D + block] - sample.features()[(t - 1) * D + block];
            double dy = sample.features()[t * D + block + 1] - sample.features()[(t - 1) * D + block + 1];
            path += Math.hypot(dx, dy);
        }
        return path;
    }

    /** The largest step of the dominant wrist from the frame before a boundary between glosses to the boundary. */
    private static double largestBoundaryStep(SignerHeldOutDataset dataset) {
        double largest = 0;
        for (int i = 0; i < dataset.count(Split.TRAIN); i++) {
            SyntheticSample sample = dataset.sample(Split.TRAIN, i);
            Script script = dataset.script(Split.TRAIN, i);
            int dominant = script.signer().leftHanded() ? LEFT : RIGHT;
            for (int g = 1; g < script.glosses().length; g++) {
                int t = script.starts()[g];
                double dx = sample.features()[t * D + dominant] - sample.features()[(t - 1) * D + dominant];
                double dy = sample.features()[t * D + dominant + 1] - sample.features()[(t - 1) * D + dominant + 1];
                largest = Math.max(largest, Math.hypot(dx, dy));
            }
        }
        return largest;
    }
}
