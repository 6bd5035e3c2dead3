package io.signstream.contract;

import java.util.TreeMap;

import io.signstream.contract.proto.FeatureDerivation;
import io.signstream.contract.proto.FeatureSample;

/** Reads the derivation stamp: which code, if any, turned landmarks into this sample's features. */
public final class FeatureDerivations {

    /** What {@link #describe} says for features uploaded finished, whose derivation is the publisher's own. */
    public static final String AS_UPLOADED = "as-uploaded";

    private FeatureDerivations() {
    }

    /** E.g. {@code holistic-landmarks@v1{frame_height=240, ...}}; {@value #AS_UPLOADED} when absent. */
    public static String describe(FeatureSample sample) {
        return sample.hasDerivation() ? describe(sample.getDerivation()) : AS_UPLOADED;
    }

    public static String describe(FeatureDerivation derivation) {
        return derivation.getMethod() + "@v" + derivation.getMethodVersion() + new TreeMap<>(derivation.getParametersMap());
    }

    /**
     * Two samples' features came from the same arithmetic when method and version agree; parameters such as the
     * input format or frame size describe the input, not the arithmetic, and are left out.
     */
    public static boolean sameArithmetic(FeatureSample a, FeatureSample b) {
        return arithmetic(a).equals(arithmetic(b));
    }

    /** The derivation's arithmetic: {@code method@vN}, or {@value #AS_UPLOADED}; what a mix of features is counted by. */
    public static String arithmetic(FeatureSample sample) {
        return sample.hasDerivation()
                ? sample.getDerivation().getMethod() + "@v" + sample.getDerivation().getMethodVersion()
                : AS_UPLOADED;
    }
}
