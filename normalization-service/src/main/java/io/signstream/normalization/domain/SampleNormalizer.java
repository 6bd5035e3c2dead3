package io.signstream.normalization.domain;

import io.signstream.featurenormalization.Normalization;

import java.time.Clock;

import io.signstream.contract.FeatureLayout;
import io.signstream.contract.FeatureTensor;
import io.signstream.contract.NormalizationStamps;
import io.signstream.contract.RejectionReason;
import io.signstream.contract.SampleRejectedException;
import io.signstream.contract.SampleValidator;
import io.signstream.contract.proto.FeatureSample;
import io.signstream.contract.proto.NormalizationStamp;

/**
 * Turns one raw sample into its normalized, stamped copy, or refuses it. This is the only code in the system
 * that writes a NORMALIZED stamp, and it refuses any sample that already carries one.
 */
public final class SampleNormalizer {

    private final Normalization normalization;
    private final SampleValidator validator;
    private final String normalizedBy;
    private final Clock clock;

    public SampleNormalizer(Normalization normalization, SampleValidator validator, String normalizedBy, Clock clock) {
        this.normalization = normalization;
        this.validator = validator;
        this.normalizedBy = normalizedBy;
        this.clock = clock;
    }

    public Normalization normalization() {
        return normalization;
    }

    public String normalizedBy() {
        return normalizedBy;
    }

    /**
     * Returns the sample with normalized features and a NORMALIZED stamp; every other field is kept as it was.
     *
     * @throws SampleRejectedException {@link RejectionReason#ALREADY_NORMALIZED} for a stamped sample, or the
     *         validator's reason for a malformed or non-finite one
     */
    public FeatureSample normalize(FeatureSample raw) {
        // Checked before anything else: normalizing twice is the failure this system exists to prevent.
        if (raw.hasNormalization() && raw.getNormalization().getState() != NormalizationStamp.State.NONE) {
            throw new SampleRejectedException(RejectionReason.ALREADY_NORMALIZED, "sample " + raw.getSampleId()
                    + " is already normalized (" + describe(raw.getNormalization()) + ")");
        }
        float[] values = validator.validate(raw);
        float[] normalized = normalization.apply(values, raw.getFrameCount(), FeatureLayout.DIMS);
        // Cannot fail for a finite input (outputs are bounded); kept so nothing non-finite is ever stamped.
        SampleValidator.validateValues(normalized);
        return raw.toBuilder()
                .setFeatures(FeatureTensor.toBytes(normalized))
                .setNormalization(stamp())
                .build();
    }

    /** A fresh NORMALIZED stamp for this instance's method, dated now. */
    public NormalizationStamp stamp() {
        return normalization.stamp(normalizedBy, clock.millis());
    }

    private static String describe(NormalizationStamp stamp) {
        if (stamp.getState() == NormalizationStamp.State.NORMALIZED) {
            return NormalizationStamps.describe(stamp) + " by " + stamp.getNormalizedBy();
        }
        return "stamp state " + stamp.getState();
    }
}
