package io.signstream.contract;

import com.google.protobuf.InvalidProtocolBufferException;

import io.signstream.contract.proto.FeatureSample;

/** Kafka record value bytes to and from {@link FeatureSample}. */
public final class FeatureSampleCodec {

    private FeatureSampleCodec() {
    }

    public static byte[] encode(FeatureSample sample) {
        return sample.toByteArray();
    }

    /** @throws SampleRejectedException with {@link RejectionReason#UNDECODABLE} for bytes that are not a FeatureSample */
    public static FeatureSample decode(byte[] value) {
        if (value == null || value.length == 0) {
            throw new SampleRejectedException(RejectionReason.UNDECODABLE, "record value is empty");
        }
        try {
            return FeatureSample.parseFrom(value);
        } catch (InvalidProtocolBufferException e) {
            throw new SampleRejectedException(RejectionReason.UNDECODABLE,
                    "record value is not a signstream.v1.FeatureSample: " + e.getMessage(), e);
        }
    }
}
