package io.signstream.featurenormalization;

import java.util.Map;

import io.signstream.contract.proto.NormalizationStamp;

/**
 * One normalization method: the arithmetic that turns raw features into normalized ones, and the
 * identity (method, version, parameters) that goes into the record's stamp so every consumer knows
 * exactly what was applied.
 */
public interface Normalization {

    /** Stamp {@code method}, e.g. {@code zscore-per-channel}. */
    String method();

    /** Stamp {@code method_version}: bumps whenever the arithmetic of {@link #method()} changes. */
    int version();

    /**
     * Stamp {@code parameters}: everything besides method and version that decides the result. Values are
     * stable strings, because two stamps mean the same arithmetic exactly when these maps are equal.
     */
    Map<String, String> parameters();

    /**
     * Normalizes a row-major {@code [frames, dims]} tensor and returns a new array; {@code values} is left as it is.
     *
     * @throws IllegalArgumentException when {@code values} is not {@code frames * dims} long or a size is below 1
     */
    default float[] apply(float[] values, int frames, int dims) {
        checkShape(values, frames, dims);
        float[] normalized = values.clone();
        applyInPlace(normalized, frames, dims);
        return normalized;
    }

    /**
     * {@link #apply} over the first {@code frames * dims} values, written over them (bit for bit the same numbers);
     * values after them are neither read nor written. For callers that no longer need the input, and that may reuse
     * one array, large enough for any sample, from sample to sample: no multi-MB array allocated per sample.
     *
     * @throws IllegalArgumentException when {@code values} is shorter than {@code frames * dims} or a size is below 1
     */
    void applyInPlace(float[] values, int frames, int dims);

    /** The NORMALIZED stamp a record normalized with this method carries: method, version, parameters, who, when. */
    default NormalizationStamp stamp(String normalizedBy, long normalizedAtEpochMs) {
        return NormalizationStamp.newBuilder()
                .setState(NormalizationStamp.State.NORMALIZED)
                .setMethod(method())
                .setMethodVersion(version())
                .putAllParameters(parameters())
                .setNormalizedBy(normalizedBy)
                .setNormalizedAtEpochMs(normalizedAtEpochMs)
                .build();
    }

    static void checkShape(float[] values, int frames, int dims) {
        if (frames < 1 || dims < 1) {
            throw new IllegalArgumentException("shape [" + frames + ", " + dims + "] has no values");
        }
        if (values.length != (long) frames * dims) {
            throw new IllegalArgumentException(values.length + " values do not fill [" + frames + ", " + dims + "]");
        }
    }

    static void checkInPlaceShape(float[] values, int frames, int dims) {
        if (frames < 1 || dims < 1) {
            throw new IllegalArgumentException("shape [" + frames + ", " + dims + "] has no values");
        }
        if (values.length < (long) frames * dims) {
            throw new IllegalArgumentException(values.length + " values cannot hold [" + frames + ", " + dims + "]");
        }
    }

    static double checkEpsilon(double epsilon) {
        if (!(epsilon > 0) || !Double.isFinite(epsilon)) {
            throw new IllegalArgumentException("epsilon must be a positive finite number, was " + epsilon);
        }
        return epsilon;
    }
}
