package io.signstream.contract;

import io.signstream.contract.proto.FeatureSample;
import io.signstream.contract.proto.NormalizationStamp;

/** Reads the normalization stamp the way every consumer must. */
public final class NormalizationStamps {

    private NormalizationStamps() {
    }

    public static boolean isNormalized(FeatureSample sample) {
        return sample.hasNormalization()
                && sample.getNormalization().getState() == NormalizationStamp.State.NORMALIZED;
    }

    /** A short identity of the arithmetic applied, e.g. {@code zscore-per-channel@v1{epsilon=1.0E-5}}; "none" when raw. */
    public static String describe(FeatureSample sample) {
        if (!isNormalized(sample)) {
            return "none";
        }
        return describe(sample.getNormalization());
    }

    public static String describe(NormalizationStamp stamp) {
        if (stamp.getState() != NormalizationStamp.State.NORMALIZED) {
            return "none";
        }
        return stamp.getMethod() + "@v" + stamp.getMethodVersion()
                + new java.util.TreeMap<>(stamp.getParametersMap());
    }

    /** Two stamps mean the same arithmetic when method, version and parameters agree (who and when do not matter). */
    public static boolean sameArithmetic(NormalizationStamp a, NormalizationStamp b) {
        return describe(a).equals(describe(b));
    }
}
