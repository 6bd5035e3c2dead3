package io.signstream.localstack.synthetic;

/**
 * What a {@link SyntheticSource} generates, as far as a caller that only picks a data set and resizes it needs to
 * know (the launcher's demo): vocabulary and split sizes, and the generator the options describe.
 */
public interface SyntheticSourceOptions {

    int vocabularySize();

    int trainSamples();

    int devSamples();

    int testSamples();

    /** Samples in a split (TRAIN, DEV or TEST). */
    default int count(io.signstream.contract.proto.Split split) {
        return switch (split) {
            case TRAIN -> trainSamples();
            case DEV -> devSamples();
            case TEST -> testSamples();
            default -> throw new IllegalArgumentException("no samples in split " + split);
        };
    }

    SyntheticSourceOptions withVocabularySize(int value);

    SyntheticSourceOptions withSamples(int train, int dev, int test);

    /** The generator these options describe. */
    SyntheticSource create();
}
