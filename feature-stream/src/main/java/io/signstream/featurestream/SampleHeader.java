package io.signstream.featurestream;

import java.io.IOException;
import java.util.Optional;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;

import io.signstream.contract.proto.FeatureSample;
import io.signstream.contract.proto.Split;

/**
 * Sample id and split read straight from the Protobuf bytes, skipping the multi-MB tensor without copying it:
 * enough to index a partition and to pass over records of other splits cheaply.
 */
record SampleHeader(String id, Split split) {

    /** Empty when the bytes are not a FeatureSample (the full decode then says why). */
    static Optional<SampleHeader> parse(byte[] value) {
        if (value == null || value.length == 0) {
            return Optional.empty();
        }
        try {
            CodedInputStream in = CodedInputStream.newInstance(value);
            String id = "";
            int split = 0;
            int tag;
            while ((tag = in.readTag()) != 0) {
                int field = WireFormat.getTagFieldNumber(tag);
                int wireType = WireFormat.getTagWireType(tag);
                if (field == FeatureSample.SAMPLE_ID_FIELD_NUMBER && wireType == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                    id = in.readStringRequireUtf8();
                } else if (field == FeatureSample.SPLIT_FIELD_NUMBER && wireType == WireFormat.WIRETYPE_VARINT) {
                    split = in.readEnum();
                } else if (!in.skipField(tag)) {
                    break;
                }
            }
            Split parsed = Split.forNumber(split);
            return Optional.of(new SampleHeader(id, parsed == null ? Split.UNRECOGNIZED : parsed));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
