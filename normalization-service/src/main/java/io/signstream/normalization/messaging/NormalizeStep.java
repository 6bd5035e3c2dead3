package io.signstream.normalization.messaging;

import io.signstream.contract.FeatureSampleCodec;
import io.signstream.contract.RejectionReason;
import io.signstream.contract.SampleRejectedException;
import io.signstream.contract.Topics;
import io.signstream.contract.proto.FeatureSample;
import io.signstream.normalization.domain.SampleNormalizer;

/** Decodes a raw record, normalizes and stamps it, encodes it again; any broken rule becomes a rejection. */
public final class NormalizeStep implements RecordStep {

    private final SampleNormalizer normalizer;

    public NormalizeStep(SampleNormalizer normalizer) {
        this.normalizer = normalizer;
    }

    @Override
    public Outcome apply(String key, byte[] value) {
        try {
            FeatureSample raw = FeatureSampleCodec.decodeSharing(value);
            byte[] encoded = normalizer.normalizeToValue(raw);
            String id = raw.getSampleId();
            // The key decides the partition, and so which consumer sees the sample and in what order.
            if (!id.equals(key)) {
                return Outcome.reject(RejectionReason.BAD_SAMPLE_ID, "record key '" + key
                        + "' is not the sample id '" + id + "'; the key of a feature record must be its sample id");
            }
            if (encoded.length > Topics.MAX_RECORD_BYTES) {
                return Outcome.reject(RejectionReason.TOO_LARGE, "normalized sample " + id + " is " + encoded.length
                        + " bytes, the limit is " + Topics.MAX_RECORD_BYTES);
            }
            return Outcome.publish(id, encoded, raw.getSplit());
        } catch (SampleRejectedException e) {
            return Outcome.reject(e.reason(), e.detail());
        }
    }
}
