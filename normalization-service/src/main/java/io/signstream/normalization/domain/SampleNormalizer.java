package io.signstream.normalization.domain;

import io.signstream.featurenormalization.Normalization;

import java.time.Clock;

import io.signstream.contract.FeatureLayout;
import io.signstream.contract.FeatureSampleCodec;
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
    private final ThreadLocal<float[]> scratch = ThreadLocal.withInitial(() -> new float[0]);

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
        float[] values = new float[tensorLength(raw)];
        normalizeInto(raw, values);
        return raw.toBuilder()
                .setFeatures(FeatureTensor.toBytes(values))
                .setNormalization(stamp())
                .build();
    }

    /**
     * {@link #normalize} as the record value the service publishes: the same message, with the normalized tensor
     * written once, straight into the value ({@link FeatureSampleCodec#encode(FeatureSample, float[], int)}). The
     * tensor is decoded and normalized in a buffer the calling thread reuses from sample to sample: the value is the
     * only multi-MB array this allocates (each one allocated per sample measurably cost the service throughput).
     */
    public byte[] normalizeToValue(FeatureSample raw) {
        float[] values = scratch(raw);
        int count = normalizeInto(raw, values);
        return FeatureSampleCodec.encode(raw.toBuilder().setNormalization(stamp()).build(), values, count);
    }

    private float[] scratch(FeatureSample raw) {
        int needed = tensorLength(raw);
        float[] buffer = scratch.get();
        if (buffer.length < needed) {
            // grows to the largest sample this thread has seen (at most max-frames x 6516 floats)
            buffer = new float[needed];
            scratch.set(buffer);
        }
        return buffer;
    }

    /**
     * The values the sample's tensor bytes hold: sized from the bytes (bounded by the record limit), never from the
     * declared frame count, which is only checked afterwards (a bogus count must be refused, not allocated).
     */
    private static int tensorLength(FeatureSample raw) {
        return raw.getFeatures().size() / Float.BYTES;
    }

    /** Checks, decodes into {@code values} and normalizes there; returns the number of values. */
    private int normalizeInto(FeatureSample raw, float[] values) {
        // Checked before anything else: normalizing twice is the failure this system exists to prevent.
        if (raw.hasNormalization() && raw.getNormalization().getState() != NormalizationStamp.State.NONE) {
            throw new SampleRejectedException(RejectionReason.ALREADY_NORMALIZED, "sample " + raw.getSampleId()
                    + " is already normalized (" + describe(raw.getNormalization()) + ")");
        }
        validator.validateMetadata(raw);
        int count = FeatureTensor.toFloats(raw.getFeatures(), values);
        normalization.applyInPlace(values, raw.getFrameCount(), FeatureLayout.DIMS);
        // One pass checks both: a finite input gives a finite output (outputs are bounded), and a NaN or Inf in the
        // input makes its channel's statistics and so its whole output column non-finite.
        try {
            SampleValidator.validateValues(values, count);
        } catch (SampleRejectedException notFinite) {
            // said where the raw sample has it, as the validator says it
            SampleValidator.validateValues(FeatureTensor.toFloats(raw.getFeatures()));
            throw notFinite;
        }
        return count;
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
