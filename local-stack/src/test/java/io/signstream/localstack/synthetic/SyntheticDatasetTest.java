package io.signstream.localstack.synthetic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.signstream.contract.FeatureLayout;
import io.signstream.contract.Modality;
import io.signstream.contract.SampleValidator;
import io.signstream.contract.npy.FeatureMatrix;
import io.signstream.contract.npy.Npy;
import io.signstream.contract.proto.FeatureSample;
import io.signstream.contract.proto.Split;

class SyntheticDatasetTest {

    private static final int D = FeatureLayout.DIMS;
    private static final int RAW = SyntheticDataset.RAW_DIMS;

    private final SyntheticOptions tiny = SyntheticOptions.tiny();

    @Test
    void sameSeedGivesTheSameSamplesAndAnotherSeedDifferentOnes() {
        SyntheticSample a = new SyntheticDataset(tiny).sample(Split.TRAIN, 3);
        SyntheticSample b = new SyntheticDataset(tiny).sample(Split.TRAIN, 3);
        assertEquals(a.glosses(), b.glosses());
        assertEquals(a.signer(), b.signer());
        assertArrayEquals(a.features(), b.features());

        SyntheticSample other = new SyntheticDataset(tiny.withSeed(tiny.seed() + 1)).sample(Split.TRAIN, 3);
        assertFalse(java.util.Arrays.equals(a.features(), other.features()));
        assertNotEquals(a.id(), new SyntheticDataset(tiny).sample(Split.TRAIN, 4).id());
    }

    @Test
    void shapesLengthsAndValuesAreWhatTheOptionsSay() {
        SyntheticDataset dataset = new SyntheticDataset(tiny);
        assertEquals(5, dataset.glosses().size());
        for (Split split : List.of(Split.TRAIN, Split.DEV, Split.TEST)) {
            List<SyntheticSample> samples = dataset.samples(split);
            assertEquals(dataset.count(split), samples.size());
            for (SyntheticSample sample : samples) {
                int glosses = sample.glosses().size();
                assertTrue(glosses >= tiny.minGlosses() && glosses <= tiny.maxGlosses(), sample.glosses().toString());
                for (int i = 1; i < glosses; i++) {
                    assertNotEquals(sample.glosses().get(i - 1), sample.glosses().get(i), "a gloss never follows itself");
                }
                assertTrue(sample.frames() >= glosses * tiny.minFramesPerGloss()
                        && sample.frames() <= glosses * tiny.maxFramesPerGloss(), "" + sample.frames());
                assertEquals(sample.frames() * D, sample.features().length);
                assertTrue(dataset.glosses().containsAll(sample.glosses()));
                for (float value : sample.features()) {
                    assertTrue(Float.isFinite(value));
                }
                // image-space coordinates: x and y roughly in [0, 1] (legs may hang below), z small
                for (int t = 0; t < sample.frames(); t++) {
                    for (int c = 0; c < RAW; c++) {
                        float value = sample.features()[t * D + c];
                        if (c % 3 == 2) {
                            assertTrue(Math.abs(value) < 0.5, "z " + value);
                        } else {
                            assertTrue(value > -0.1 && value < 1.5, "x/y " + value);
                        }
                    }
                }
            }
        }
    }

    @Test
    void temporalColumnsAreVelocityAccelerationAndJerkOfTheRawValues() {
        SyntheticSample sample = new SyntheticDataset(tiny).sample(Split.TRAIN, 0);
        float[] x = sample.features();
        assertEquals(Modality.TEMPORAL.start(), RAW);
        for (int c = 0; c < 3 * RAW; c++) {
            assertEquals(0f, x[RAW + c], "frame 0 has no motion");
        }
        int t = 7;
        for (int c : new int[] {0, 100, 150, 224, 700, 1628}) {
            float v = x[t * D + c] - x[(t - 1) * D + c];
            float vPrevious = x[(t - 1) * D + c] - x[(t - 2) * D + c];
            float vBeforeThat = x[(t - 2) * D + c] - x[(t - 3) * D + c];
            float a = v - vPrevious;
            float aPrevious = vPrevious - vBeforeThat;
            assertEquals(v, x[t * D + RAW + c], 0f, "velocity = diff of raw, column " + c);
            assertEquals(a, x[t * D + 2 * RAW + c], 1e-7f, "acceleration, column " + c);
            assertEquals(a - aPrevious, x[t * D + 3 * RAW + c], 1e-7f, "jerk, column " + c);
        }
        assertEquals(x[RAW + 5] - 0f, 0f);
        assertEquals(x[D + 5] - x[5], x[D + RAW + 5], 0f, "frame 1 velocity");
    }

    @Test
    void trajectoriesAreSmoothWithoutNoise() {
        SyntheticSample sample = new SyntheticDataset(tiny.withNoise(0)).sample(Split.TRAIN, 1);
        float maxStep = 0;
        float maxAcceleration = 0;
        for (int t = 2; t < sample.frames(); t++) {
            for (int c = 0; c < RAW; c++) {
                maxStep = Math.max(maxStep, Math.abs(sample.features()[t * D + RAW + c]));
                maxAcceleration = Math.max(maxAcceleration, Math.abs(sample.features()[t * D + 2 * RAW + c]));
            }
        }
        assertTrue(maxStep > 0, "something moves");
        // a hand crosses at most about a tenth of the image per frame (a fast sign at 25 fps), and no faster
        // than that does its speed change: no jumps, also not where one gloss ends and the next begins
        assertTrue(maxStep < 0.12, "no landmark jumps between frames: " + maxStep);
        assertTrue(maxAcceleration < 0.08, "speed changes gradually: " + maxAcceleration + " vs " + maxStep);
    }

    /**
     * Learnable: single-gloss samples, classified by the nearest class mean of the time-normalized right-hand
     * trajectory, are recognized on a held-out split despite noise, signers and variable durations.
     */
    @Test
    void glossesAreDistinctMotionsAHeldOutSetCanBeRecognizedFrom() {
        SyntheticOptions options = SyntheticOptions.defaults().withVocabularySize(10).withSentenceLength(1, 1)
                .withSamples(100, 0, 50).withNoise(0.004);
        SyntheticDataset dataset = new SyntheticDataset(options);
        Map<String, double[]> sums = new HashMap<>();
        Map<String, Integer> counts = new HashMap<>();
        for (SyntheticSample sample : dataset.samples(Split.TRAIN)) {
            double[] descriptor = rightHandTrajectory(sample);
            String gloss = sample.glosses().get(0);
            double[] sum = sums.computeIfAbsent(gloss, g -> new double[descriptor.length]);
            for (int i = 0; i < sum.length; i++) {
                sum[i] += descriptor[i];
            }
            counts.merge(gloss, 1, Integer::sum);
        }
        int correct = 0;
        List<SyntheticSample> heldOut = dataset.samples(Split.TEST);
        for (SyntheticSample sample : heldOut) {
            double[] descriptor = rightHandTrajectory(sample);
            String best = null;
            double bestDistance = Double.MAX_VALUE;
            for (var entry : sums.entrySet()) {
                double distance = 0;
                for (int i = 0; i < descriptor.length; i++) {
                    double d = descriptor[i] - entry.getValue()[i] / counts.get(entry.getKey());
                    distance += d * d;
                }
                if (distance < bestDistance) {
                    bestDistance = distance;
                    best = entry.getKey();
                }
            }
            correct += sample.glosses().get(0).equals(best) ? 1 : 0;
        }
        assertTrue(correct >= 0.9 * heldOut.size(), correct + " of " + heldOut.size() + " recognized");
    }

    /** x, y of the right wrist at 12 evenly spaced moments of the sample. */
    private static double[] rightHandTrajectory(SyntheticSample sample) {
        int wrist = SyntheticDataset.POSE_LANDMARKS + SyntheticDataset.HAND_LANDMARKS;
        double[] descriptor = new double[24];
        for (int k = 0; k < 12; k++) {
            int t = (int) ((k + 0.5) / 12 * sample.frames());
            descriptor[2 * k] = sample.features()[t * D + 3 * wrist];
            descriptor[2 * k + 1] = sample.features()[t * D + 3 * wrist + 1];
        }
        return descriptor;
    }

    @Test
    void writesThePhoenixLayout(@TempDir Path root) throws Exception {
        SyntheticDataset dataset = new SyntheticDataset(tiny.withSamples(3, 2, 0));
        dataset.writePhoenix(root);

        List<String> train = Files.readAllLines(root.resolve("train.corpus.csv"), StandardCharsets.UTF_8);
        assertEquals("id|folder|signer|annotation", train.get(0));
        assertEquals(4, train.size());
        assertEquals(3, Files.readAllLines(root.resolve("dev.corpus.csv")).size());
        assertFalse(Files.exists(root.resolve("test.corpus.csv")), "no empty split files");

        SyntheticSample expected = dataset.sample(Split.TRAIN, 1);
        String[] columns = train.get(2).split("\\|");
        assertEquals(4, columns.length);
        assertEquals(expected.id(), columns[0]);
        assertEquals(expected.signer(), columns[2]);
        assertEquals(String.join(" ", expected.glosses()), columns[3]);
        FeatureMatrix read = Npy.read(Files.readAllBytes(root.resolve("train").resolve(expected.id() + ".npy")));
        assertEquals(expected.frames(), read.rows());
        assertEquals(D, read.columns());
        assertArrayEquals(expected.features(), read.values());
    }

    @Test
    void featureSamplesAreValidRawRecords() {
        SyntheticDataset dataset = new SyntheticDataset(tiny);
        List<FeatureSample> samples = dataset.featureSamples(Split.DEV);
        assertEquals(tiny.devSamples(), samples.size());
        SampleValidator validator = new SampleValidator();
        for (FeatureSample sample : samples) {
            assertFalse(sample.hasNormalization(), "raw samples carry no stamp (NONE)");
            assertEquals(Split.DEV, sample.getSplit());
            float[] values = validator.validate(sample);
            assertArrayEquals(dataset.sample(Split.DEV, Integer.parseInt(sample.getSampleId().substring(4))).features(),
                    values);
        }
        assertThrows(IndexOutOfBoundsException.class, () -> dataset.sample(Split.DEV, tiny.devSamples()));
        assertThrows(IllegalArgumentException.class, () -> tiny.withSentenceLength(3, 2));
    }
}
