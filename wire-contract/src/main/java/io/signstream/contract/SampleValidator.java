package io.signstream.contract;

import java.util.regex.Pattern;

import io.signstream.contract.proto.FeatureSample;
import io.signstream.contract.proto.Split;

/**
 * The contract's checks on one sample: identity, split, annotation, shape and values.
 * Every producer runs it before publishing and every consumer before using a record.
 */
public final class SampleValidator {

    public static final Pattern SAMPLE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");
    /** A gloss is one token: printable, no whitespace, no '|' (the corpus separator). */
    public static final Pattern GLOSS = Pattern.compile("[^\\s|\\p{Cntrl}]{1,64}");
    public static final int DEFAULT_MAX_FRAMES = 600;
    public static final int MAX_GLOSSES = 300;

    private final int maxFrames;

    public SampleValidator(int maxFrames) {
        if (maxFrames < 1) {
            throw new IllegalArgumentException("maxFrames must be at least 1, was " + maxFrames);
        }
        this.maxFrames = maxFrames;
    }

    public SampleValidator() {
        this(DEFAULT_MAX_FRAMES);
    }

    public int maxFrames() {
        return maxFrames;
    }

    /**
     * Checks everything but the values and returns the decoded frames, so callers decode the tensor once.
     *
     * @throws SampleRejectedException naming the first broken rule
     */
    public float[] validate(FeatureSample sample) {
        validateMetadata(sample);
        float[] values = FeatureTensor.toFloats(sample.getFeatures());
        validateValues(values);
        return values;
    }

    /** Identity, split, annotation and declared shape; cheap, no tensor decoding. */
    public void validateMetadata(FeatureSample sample) {
        String id = sample.getSampleId();
        if (!SAMPLE_ID.matcher(id).matches()) {
            throw reject(RejectionReason.BAD_SAMPLE_ID, "sample id '" + abbreviate(id)
                    + "' does not match " + SAMPLE_ID.pattern());
        }
        if (sample.getSplit() == Split.SPLIT_UNSPECIFIED || sample.getSplit() == Split.UNRECOGNIZED) {
            throw reject(RejectionReason.BAD_SPLIT, "sample " + id + " has no split (train, dev or test)");
        }
        validateGlosses(id, sample.getGlossesList());
        if (sample.getFeatureDims() != FeatureLayout.DIMS) {
            throw reject(RejectionReason.WRONG_DIMS, "sample " + id + " has " + sample.getFeatureDims()
                    + " feature dims, the layout has " + FeatureLayout.DIMS);
        }
        int frames = sample.getFrameCount();
        if (frames < 1) {
            throw reject(RejectionReason.NO_FRAMES, "sample " + id + " has " + frames + " frames, at least 1 is needed");
        }
        if (frames > maxFrames) {
            throw reject(RejectionReason.TOO_MANY_FRAMES, "sample " + id + " has " + frames
                    + " frames, the limit is " + maxFrames);
        }
        long expectedBytes = (long) frames * FeatureLayout.DIMS * Float.BYTES;
        if (sample.getFeatures().size() != expectedBytes) {
            throw reject(RejectionReason.SIZE_MISMATCH, "sample " + id + " declares " + frames + " x "
                    + FeatureLayout.DIMS + " float32 (" + expectedBytes + " bytes) but carries "
                    + sample.getFeatures().size() + " bytes");
        }
    }

    public static void validateGlosses(String id, java.util.List<String> glosses) {
        if (glosses.isEmpty()) {
            throw reject(RejectionReason.EMPTY_GLOSSES, "sample " + id + " has an empty gloss annotation");
        }
        if (glosses.size() > MAX_GLOSSES) {
            throw reject(RejectionReason.BAD_GLOSS, "sample " + id + " has " + glosses.size()
                    + " glosses, the limit is " + MAX_GLOSSES);
        }
        for (String gloss : glosses) {
            if (!GLOSS.matcher(gloss).matches()) {
                throw reject(RejectionReason.BAD_GLOSS, "sample " + id + " has gloss '" + abbreviate(gloss)
                        + "': a gloss is 1-64 printable characters without whitespace or '|'");
            }
        }
    }

    /** Every value must be finite: NaN or Inf anywhere refuses the whole sample. */
    public static void validateValues(float[] values) {
        validateValues(values, values.length);
    }

    /** {@link #validateValues(float[])} for the first {@code count} values. */
    public static void validateValues(float[] values, int count) {
        for (int i = 0; i < count; i++) {
            if (!Float.isFinite(values[i])) {
                int frame = i / FeatureLayout.DIMS;
                int column = i % FeatureLayout.DIMS;
                throw reject(RejectionReason.NON_FINITE, "value " + values[i] + " at frame " + frame
                        + ", column " + column + " (" + modalityOf(column) + ") is not finite");
            }
        }
    }

    private static String modalityOf(int column) {
        for (Modality modality : Modality.values()) {
            if (column >= modality.start() && column < modality.end()) {
                return modality.name().toLowerCase(java.util.Locale.ROOT);
            }
        }
        return "outside the layout";
    }

    private static SampleRejectedException reject(RejectionReason reason, String detail) {
        return new SampleRejectedException(reason, detail);
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
