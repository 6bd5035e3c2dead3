package io.signstream.localstack.synthetic;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What {@link SignerHeldOutDataset} generates. {@link #defaults()} is the benchmark's set, {@link #small()} the
 * tests'; the {@code with...} methods return a changed copy.
 *
 * @param vocabularySize distinct glosses
 * @param minGlosses fewest glosses in one sentence
 * @param maxGlosses most glosses in one sentence
 * @param trainSamples sentences in TRAIN (signed by the training signers)
 * @param devSamples sentences in DEV (signed only by {@code devSigners})
 * @param testSamples sentences in TEST (signed only by {@code testSigners})
 * @param minFramesPerGloss fewest frames of one gloss occurrence at signing speed 1 (a signer's speed divides it)
 * @param maxFramesPerGloss most frames of one gloss occurrence at speed 1
 * @param coarticulationFrames frames on either side of a boundary over which one gloss blends into the next (0:
 *     none, the next gloss starts abruptly)
 * @param minRestFrames fewest rest frames (hands down) before the first and after the last gloss
 * @param maxRestFrames most rest frames before the first and after the last gloss
 * @param repeatRate chance that a gloss is the same as the one before it (adjacent repeats, CTC needs a blank)
 * @param similarPairs gloss pairs (0,1), (2,3), ... that differ in one property only (hand shape, location or
 *     movement direction)
 * @param signers simulated signers, indices 0..signers-1; the training signers are those neither dev nor test
 * @param devSigners the signers of DEV, never seen in TRAIN
 * @param testSigners the signers of TEST, never seen in TRAIN; the first one signs faster and is larger than any
 *     training signer
 * @param leftHandedSigners signers whose dominant hand is the left (motions mirrored onto MediaPipe's left hand)
 * @param missingHandRate share of frames on which a hand is not detected (all 63 values 0.0), in short runs
 * @param outOfFrameRate chance that a sample's non-dominant hand is out of frame (0.0) for the whole sample
 * @param noise standard deviation of the Gaussian noise on every coordinate of a detected landmark (image units)
 * @param tremor standard deviation of a per-frame shift of the whole body (image units)
 * @param seed everything follows from it: the same options give the same bytes
 */
public record SignerHeldOutOptions(
        int vocabularySize,
        int minGlosses,
        int maxGlosses,
        int trainSamples,
        int devSamples,
        int testSamples,
        int minFramesPerGloss,
        int maxFramesPerGloss,
        int coarticulationFrames,
        int minRestFrames,
        int maxRestFrames,
        double repeatRate,
        int similarPairs,
        int signers,
        List<Integer> devSigners,
        List<Integer> testSigners,
        List<Integer> leftHandedSigners,
        double missingHandRate,
        double outOfFrameRate,
        double noise,
        double tremor,
        long seed) implements SyntheticSourceOptions {

    public SignerHeldOutOptions {
        devSigners = List.copyOf(devSigners);
        testSigners = List.copyOf(testSigners);
        leftHandedSigners = List.copyOf(leftHandedSigners);
        require(vocabularySize >= 2, "vocabularySize must be at least 2");
        require(minGlosses >= 1 && maxGlosses >= minGlosses, "need 1 <= minGlosses <= maxGlosses");
        require(trainSamples >= 0 && devSamples >= 0 && testSamples >= 0, "sample counts cannot be negative");
        require(minFramesPerGloss >= 2 && maxFramesPerGloss >= minFramesPerGloss,
                "need 2 <= minFramesPerGloss <= maxFramesPerGloss");
        require(coarticulationFrames >= 0, "coarticulationFrames cannot be negative");
        require(minRestFrames >= 1 && maxRestFrames >= minRestFrames, "need 1 <= minRestFrames <= maxRestFrames");
        require(repeatRate >= 0 && repeatRate < 1, "repeatRate must be in [0, 1)");
        require(similarPairs >= 0 && 2 * similarPairs <= vocabularySize, "similarPairs must be in [0, vocabularySize/2]");
        require(signers >= 1, "at least one signer");
        Set<Integer> heldOut = new HashSet<>();
        for (int signer : devSigners) {
            require(signer >= 0 && signer < signers && heldOut.add(signer), "dev signers must be distinct, in 0..signers-1");
        }
        for (int signer : testSigners) {
            require(signer >= 0 && signer < signers && heldOut.add(signer),
                    "test signers must be distinct, in 0..signers-1, and not dev signers");
        }
        require(heldOut.size() < signers, "at least one training signer");
        require(devSamples == 0 || !devSigners.isEmpty(), "DEV samples need a dev signer");
        require(testSamples == 0 || !testSigners.isEmpty(), "TEST samples need a test signer");
        for (int signer : leftHandedSigners) {
            require(signer >= 0 && signer < signers, "left-handed signers must be in 0..signers-1");
        }
        require(missingHandRate >= 0 && missingHandRate < 0.5, "missingHandRate must be in [0, 0.5)");
        require(outOfFrameRate >= 0 && outOfFrameRate <= 1, "outOfFrameRate must be in [0, 1]");
        require(noise >= 0 && Double.isFinite(noise) && tremor >= 0 && Double.isFinite(tremor),
                "noise and tremor must be finite values >= 0");
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /**
     * The benchmark's set: 20 glosses (5 near-identical pairs), sentences of 3-12, 8-16 frames per gloss at speed 1
     * (about 12 on average, as PHOENIX at 25 fps), 8 signers: 0-5 train (signer 2 left-handed), 6 dev, 7 test;
     * 1000/60/60 samples, 5% of hand frames undetected.
     */
    public static SignerHeldOutOptions defaults() {
        return new SignerHeldOutOptions(20, 3, 12, 1000, 60, 60, 8, 16, 3, 3, 6, 0.04, 5, 8, List.of(6), List.of(7),
                List.of(2), 0.05, 0.03, 0.003, 0.002, 2014L);
    }

    /** The tests' set: 8 glosses (2 similar pairs), sentences of 2-5, 4 signers (0-1 train, 1 left-handed, 2 dev, 3 test), 24/6/6. */
    public static SignerHeldOutOptions small() {
        return new SignerHeldOutOptions(8, 2, 5, 24, 6, 6, 8, 16, 3, 3, 6, 0.04, 2, 4, List.of(2), List.of(3),
                List.of(1), 0.05, 0.03, 0.003, 0.002, 11L);
    }

    @Override
    public SignerHeldOutDataset create() {
        return new SignerHeldOutDataset(this);
    }

    @Override
    public SignerHeldOutOptions withVocabularySize(int value) {
        return new SignerHeldOutOptions(value, minGlosses, maxGlosses, trainSamples, devSamples, testSamples,
                minFramesPerGloss, maxFramesPerGloss, coarticulationFrames, minRestFrames, maxRestFrames, repeatRate,
                Math.min(similarPairs, value / 2), signers, devSigners, testSigners, leftHandedSigners,
                missingHandRate, outOfFrameRate, noise, tremor, seed);
    }

    @Override
    public SignerHeldOutOptions withSamples(int train, int dev, int test) {
        return new SignerHeldOutOptions(vocabularySize, minGlosses, maxGlosses, train, dev, test,
                minFramesPerGloss, maxFramesPerGloss, coarticulationFrames, minRestFrames, maxRestFrames, repeatRate,
                similarPairs, signers, devSigners, testSigners, leftHandedSigners, missingHandRate, outOfFrameRate,
                noise, tremor, seed);
    }

    public SignerHeldOutOptions withSentenceLength(int min, int max) {
        return new SignerHeldOutOptions(vocabularySize, min, max, trainSamples, devSamples, testSamples,
                minFramesPerGloss, maxFramesPerGloss, coarticulationFrames, minRestFrames, maxRestFrames, repeatRate,
                similarPairs, signers, devSigners, testSigners, leftHandedSigners, missingHandRate, outOfFrameRate,
                noise, tremor, seed);
    }

    public SignerHeldOutOptions withFramesPerGloss(int min, int max) {
        return new SignerHeldOutOptions(vocabularySize, minGlosses, maxGlosses, trainSamples, devSamples, testSamples,
                min, max, coarticulationFrames, minRestFrames, maxRestFrames, repeatRate,
                similarPairs, signers, devSigners, testSigners, leftHandedSigners, missingHandRate, outOfFrameRate,
                noise, tremor, seed);
    }

    public SignerHeldOutOptions withRepeatRate(double value) {
        return new SignerHeldOutOptions(vocabularySize, minGlosses, maxGlosses, trainSamples, devSamples, testSamples,
                minFramesPerGloss, maxFramesPerGloss, coarticulationFrames, minRestFrames, maxRestFrames, value,
                similarPairs, signers, devSigners, testSigners, leftHandedSigners, missingHandRate, outOfFrameRate,
                noise, tremor, seed);
    }

    /** Signers 0..count-1; those not in {@code dev} or {@code test} train. */
    public SignerHeldOutOptions withSigners(int count, List<Integer> dev, List<Integer> test, List<Integer> leftHanded) {
        return new SignerHeldOutOptions(vocabularySize, minGlosses, maxGlosses, trainSamples, devSamples, testSamples,
                minFramesPerGloss, maxFramesPerGloss, coarticulationFrames, minRestFrames, maxRestFrames, repeatRate,
                similarPairs, count, dev, test, leftHanded, missingHandRate, outOfFrameRate, noise, tremor, seed);
    }

    public SignerHeldOutOptions withMissingHands(double rate, double outOfFrame) {
        return new SignerHeldOutOptions(vocabularySize, minGlosses, maxGlosses, trainSamples, devSamples, testSamples,
                minFramesPerGloss, maxFramesPerGloss, coarticulationFrames, minRestFrames, maxRestFrames, repeatRate,
                similarPairs, signers, devSigners, testSigners, leftHandedSigners, rate, outOfFrame, noise, tremor, seed);
    }

    public SignerHeldOutOptions withNoise(double value, double tremorValue) {
        return new SignerHeldOutOptions(vocabularySize, minGlosses, maxGlosses, trainSamples, devSamples, testSamples,
                minFramesPerGloss, maxFramesPerGloss, coarticulationFrames, minRestFrames, maxRestFrames, repeatRate,
                similarPairs, signers, devSigners, testSigners, leftHandedSigners, missingHandRate, outOfFrameRate,
                value, tremorValue, seed);
    }

    public SignerHeldOutOptions withSeed(long value) {
        return new SignerHeldOutOptions(vocabularySize, minGlosses, maxGlosses, trainSamples, devSamples, testSamples,
                minFramesPerGloss, maxFramesPerGloss, coarticulationFrames, minRestFrames, maxRestFrames, repeatRate,
                similarPairs, signers, devSigners, testSigners, leftHandedSigners, missingHandRate, outOfFrameRate,
                noise, tremor, value);
    }

    /** Whether {@code signer} signs TRAIN (is neither a dev nor a test signer). */
    public boolean trainsOn(int signer) {
        return !devSigners.contains(signer) && !testSigners.contains(signer);
    }
}
