package io.signstream.localstack.synthetic;

/**
 * What {@link SyntheticDataset} generates. Every value has a default ({@link #defaults()}); the
 * {@code with...} methods return a changed copy.
 *
 * @param vocabularySize number of distinct glosses (each a distinct motion pattern)
 * @param minGlosses fewest glosses in one sentence
 * @param maxGlosses most glosses in one sentence
 * @param trainSamples sentences in the TRAIN split
 * @param devSamples sentences in the DEV split
 * @param testSamples sentences in the TEST split
 * @param minFramesPerGloss fewest frames one gloss occurrence lasts
 * @param maxFramesPerGloss most frames one gloss occurrence lasts
 * @param noise standard deviation of the Gaussian noise on every raw coordinate (image units)
 * @param signers number of simulated signers (each slightly shifted and scaled)
 * @param seed everything follows from it: the same options give the same bytes
 */
public record SyntheticOptions(
        int vocabularySize,
        int minGlosses,
        int maxGlosses,
        int trainSamples,
        int devSamples,
        int testSamples,
        int minFramesPerGloss,
        int maxFramesPerGloss,
        double noise,
        int signers,
        long seed) implements SyntheticSourceOptions {

    public SyntheticOptions {
        require(vocabularySize >= 2, "vocabularySize must be at least 2 (consecutive glosses differ)");
        require(minGlosses >= 1 && maxGlosses >= minGlosses, "need 1 <= minGlosses <= maxGlosses");
        require(trainSamples >= 0 && devSamples >= 0 && testSamples >= 0, "sample counts cannot be negative");
        require(minFramesPerGloss >= 2 && maxFramesPerGloss >= minFramesPerGloss,
                "need 2 <= minFramesPerGloss <= maxFramesPerGloss");
        require(noise >= 0 && Double.isFinite(noise), "noise must be a finite value >= 0");
        require(signers >= 1, "at least one signer");
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /**
     * A few dozen glosses, sentences of 2-8 glosses, 16-28 frames per gloss (32-224 frames per sample). At least
     * 16 frames per gloss because the teacher's strides reduce time 16-fold and CTC needs an output frame per gloss.
     */
    public static SyntheticOptions defaults() {
        return new SyntheticOptions(30, 2, 8, 200, 40, 40, 16, 28, 0.002, 4, 42L);
    }

    /** A set a small model learns in a few CPU epochs: 5 glosses, sentences of 2-3, 32-72 frames, 24/8/8 samples. */
    public static SyntheticOptions tiny() {
        return new SyntheticOptions(5, 2, 3, 24, 8, 8, 16, 24, 0.002, 2, 7L);
    }

    /** The demo's generator with these options. */
    @Override
    public SyntheticDataset create() {
        return new SyntheticDataset(this);
    }

    @Override
    public SyntheticOptions withVocabularySize(int value) {
        return new SyntheticOptions(value, minGlosses, maxGlosses, trainSamples, devSamples, testSamples,
                minFramesPerGloss, maxFramesPerGloss, noise, signers, seed);
    }

    public SyntheticOptions withSentenceLength(int min, int max) {
        return new SyntheticOptions(vocabularySize, min, max, trainSamples, devSamples, testSamples,
                minFramesPerGloss, maxFramesPerGloss, noise, signers, seed);
    }

    @Override
    public SyntheticOptions withSamples(int train, int dev, int test) {
        return new SyntheticOptions(vocabularySize, minGlosses, maxGlosses, train, dev, test,
                minFramesPerGloss, maxFramesPerGloss, noise, signers, seed);
    }

    public SyntheticOptions withFramesPerGloss(int min, int max) {
        return new SyntheticOptions(vocabularySize, minGlosses, maxGlosses, trainSamples, devSamples, testSamples,
                min, max, noise, signers, seed);
    }

    public SyntheticOptions withNoise(double value) {
        return new SyntheticOptions(vocabularySize, minGlosses, maxGlosses, trainSamples, devSamples, testSamples,
                minFramesPerGloss, maxFramesPerGloss, value, signers, seed);
    }

    public SyntheticOptions withSigners(int value) {
        return new SyntheticOptions(vocabularySize, minGlosses, maxGlosses, trainSamples, devSamples, testSamples,
                minFramesPerGloss, maxFramesPerGloss, noise, value, seed);
    }

    public SyntheticOptions withSeed(long value) {
        return new SyntheticOptions(vocabularySize, minGlosses, maxGlosses, trainSamples, devSamples, testSamples,
                minFramesPerGloss, maxFramesPerGloss, noise, signers, value);
    }
}
