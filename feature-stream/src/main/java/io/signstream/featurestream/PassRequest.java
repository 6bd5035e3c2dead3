package io.signstream.featurestream;

import java.util.Objects;
import java.util.Optional;

import io.signstream.contract.NormalizationStamps;
import io.signstream.contract.proto.NormalizationStamp;
import io.signstream.contract.proto.Split;

/**
 * Which records a pass hands out: one split, and optionally only those whose normalization arithmetic equals
 * the expected one (e.g. the stamp a checkpoint was trained on).
 *
 * @param expectedNormalization a stamp description as {@link NormalizationStamps#describe} writes it
 *        (e.g. {@code zscore-per-channel@v1{epsilon=1.0E-5}}); empty = any NORMALIZED stamp
 */
public record PassRequest(Split split, Optional<String> expectedNormalization) {

    public PassRequest {
        Objects.requireNonNull(split, "split");
        if (split == Split.SPLIT_UNSPECIFIED || split == Split.UNRECOGNIZED) {
            throw new IllegalArgumentException("a pass reads train, dev or test, not " + split);
        }
        expectedNormalization = expectedNormalization == null ? Optional.empty() : expectedNormalization;
        if (expectedNormalization.filter("none"::equals).isPresent()) {
            throw new IllegalArgumentException("expected normalization 'none' would refuse every record");
        }
    }

    /** Every NORMALIZED record of the split. */
    public static PassRequest of(Split split) {
        return new PassRequest(split, Optional.empty());
    }

    /** Only records normalized with the same arithmetic as {@code expected} (who stamped it and when do not matter). */
    public static PassRequest expecting(Split split, NormalizationStamp expected) {
        return new PassRequest(split, Optional.of(NormalizationStamps.describe(expected)));
    }

    /** Only records whose stamp description equals {@code description} (as stored in a checkpoint manifest). */
    public static PassRequest expectingDescription(Split split, String description) {
        return new PassRequest(split, Optional.of(description));
    }
}
