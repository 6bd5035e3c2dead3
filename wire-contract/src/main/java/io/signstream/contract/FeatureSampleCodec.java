package io.signstream.contract;

import java.io.IOException;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.UnsafeByteOperations;
import com.google.protobuf.WireFormat;

import io.signstream.contract.proto.FeatureSample;

/** Kafka record value bytes to and from {@link FeatureSample}. */
public final class FeatureSampleCodec {

    private FeatureSampleCodec() {
    }

    public static byte[] encode(FeatureSample sample) {
        return sample.toByteArray();
    }

    /**
     * {@code sample} with {@code features} as its tensor, encoded with the tensor's bytes written once, straight into
     * the value (after the other fields: Protobuf readers accept fields in any order). The same message as
     * {@code encode(sample.toBuilder().setFeatures(FeatureTensor.toBytes(features)).build())}, without the two
     * intermediate copies of a multi-MB tensor.
     */
    public static byte[] encode(FeatureSample sample, float[] features) {
        return encode(sample, features, features.length);
    }

    /** {@link #encode(FeatureSample, float[])} with the first {@code count} of {@code features} as the tensor. */
    public static byte[] encode(FeatureSample sample, float[] features, int count) {
        byte[] fields = sample.toBuilder().clearFeatures().build().toByteArray();
        int tensorBytes = Math.multiplyExact(count, Float.BYTES);
        int prefix = CodedOutputStream.computeTagSize(FeatureSample.FEATURES_FIELD_NUMBER)
                + CodedOutputStream.computeUInt32SizeNoTag(tensorBytes);
        byte[] value = new byte[fields.length + prefix + tensorBytes];
        System.arraycopy(fields, 0, value, 0, fields.length);
        try {
            CodedOutputStream out = CodedOutputStream.newInstance(value, fields.length, prefix);
            out.writeTag(FeatureSample.FEATURES_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            out.writeUInt32NoTag(tensorBytes);
            out.flush();
        } catch (IOException e) {
            throw new IllegalStateException("the tensor's field header does not fit its computed size", e);
        }
        FeatureTensor.write(features, count, value, fields.length + prefix);
        return value;
    }

    /** @throws SampleRejectedException with {@link RejectionReason#UNDECODABLE} for bytes that are not a FeatureSample */
    public static FeatureSample decode(byte[] value) {
        return decode(value, false);
    }

    /**
     * {@link #decode} without copying the tensor: its ByteString shares {@code value}'s array, which must not change
     * afterwards (record values never do). For hot paths that read the tensor only through {@link FeatureTensor}: a
     * ByteBuffer from {@code asReadOnlyByteBuffer()} of a shared tensor starts at the tensor's offset in the record,
     * so absolute indexes into it are not tensor indexes.
     */
    public static FeatureSample decodeSharing(byte[] value) {
        return decode(value, true);
    }

    private static FeatureSample decode(byte[] value, boolean shareTensor) {
        if (value == null || value.length == 0) {
            throw new SampleRejectedException(RejectionReason.UNDECODABLE, "record value is empty");
        }
        try {
            if (!shareTensor) {
                return FeatureSample.parseFrom(value);
            }
            // an input over an immutable array: only then do bytes fields alias it instead of copying
            CodedInputStream in = UnsafeByteOperations.unsafeWrap(value).newCodedInput();
            in.enableAliasing(true);
            return FeatureSample.parseFrom(in);
        } catch (IOException e) {
            throw new SampleRejectedException(RejectionReason.UNDECODABLE,
                    "record value is not a signstream.v1.FeatureSample: " + e.getMessage(), e);
        }
    }
}
