package io.signstream.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

import com.google.protobuf.ByteString;

import io.signstream.contract.proto.FeatureSample;
import io.signstream.contract.proto.NormalizationStamp;

class FeatureSampleCodecTest {

    @Test
    void roundTripKeepsEveryFieldAndEveryBit() {
        float[] values = SampleFixtures.ramp(3);
        values[7] = -0.0f;
        values[8] = Float.MIN_VALUE;
        values[9] = Float.MAX_VALUE;
        FeatureSample sample = SampleFixtures.valid(3)
                .setFeatures(FeatureTensor.toBytes(values))
                .setSigner("Signer05")
                .setNormalization(NormalizationStamp.newBuilder()
                        .setState(NormalizationStamp.State.NORMALIZED)
                        .setMethod("zscore-per-channel").setMethodVersion(1)
                        .putParameters("epsilon", "1.0E-5"))
                .build();

        FeatureSample decoded = FeatureSampleCodec.decode(FeatureSampleCodec.encode(sample));

        assertEquals(sample, decoded);
        float[] back = FeatureTensor.toFloats(decoded.getFeatures());
        for (int i = 0; i < values.length; i++) {
            assertEquals(Float.floatToRawIntBits(values[i]), Float.floatToRawIntBits(back[i]), "value " + i);
        }
    }

    @Test
    void aTensorWrittenStraightIntoTheValueIsTheSameMessage() throws Exception {
        float[] values = SampleFixtures.ramp(4);
        values[3] = -0.0f;
        values[5] = Float.MIN_VALUE;
        FeatureSample fields = SampleFixtures.valid(4).setSigner("Signer07")
                .setNormalization(NormalizationStamp.newBuilder().setState(NormalizationStamp.State.NORMALIZED)
                        .setMethod("zscore-per-channel").setMethodVersion(2))
                .build();
        FeatureSample expected = fields.toBuilder().setFeatures(FeatureTensor.toBytes(values)).build();

        byte[] value = FeatureSampleCodec.encode(fields, values);

        assertEquals(FeatureSampleCodec.encode(expected).length, value.length);
        // decoded by protobuf's own parser, not ours
        assertEquals(expected, FeatureSample.parseFrom(value));
        // the tensor's bytes are the value's last ones, little-endian float32
        byte[] tensor = FeatureTensor.toBytes(values).toByteArray();
        assertArrayEquals(tensor, Arrays.copyOfRange(value, value.length - tensor.length, value.length));
    }

    @Test
    void aSharedTensorDecodesToTheSameSampleAndValues() {
        float[] values = SampleFixtures.ramp(3);
        values[2] = -0.0f;
        FeatureSample sample = SampleFixtures.valid(3).setFeatures(FeatureTensor.toBytes(values)).setSigner("S1").build();
        byte[] value = FeatureSampleCodec.encode(sample);

        FeatureSample shared = FeatureSampleCodec.decodeSharing(value);

        assertEquals(FeatureSampleCodec.decode(value), shared);
        float[] back = FeatureTensor.toFloats(shared.getFeatures());
        for (int i = 0; i < values.length; i++) {
            assertEquals(Float.floatToRawIntBits(values[i]), Float.floatToRawIntBits(back[i]), "value " + i);
        }
        byte[] half = Arrays.copyOf(value, value.length / 2);
        assertEquals(RejectionReason.UNDECODABLE,
                assertThrows(SampleRejectedException.class, () -> FeatureSampleCodec.decodeSharing(half)).reason());
    }

    @Test
    void featureBytesAreLittleEndianFloat32() {
        ByteString bytes = FeatureTensor.toBytes(new float[] {1.0f, -2.5f});
        // 1.0f = 0x3F800000, -2.5f = 0xC0200000, least significant byte first
        assertArrayEquals(new byte[] {0, 0, (byte) 0x80, 0x3F, 0, 0, 0x20, (byte) 0xC0}, bytes.toByteArray());
        assertArrayEquals(new float[] {1.0f, -2.5f}, FeatureTensor.toFloats(bytes));
    }

    @Test
    void truncatedBytesAreUndecodable() {
        byte[] whole = FeatureSampleCodec.encode(SampleFixtures.valid(2).build());
        byte[] truncated = Arrays.copyOf(whole, whole.length / 2);

        SampleRejectedException e = assertThrows(SampleRejectedException.class,
                () -> FeatureSampleCodec.decode(truncated));
        assertEquals(RejectionReason.UNDECODABLE, e.reason());
    }

    @Test
    void emptyValueIsUndecodable() {
        assertEquals(RejectionReason.UNDECODABLE,
                assertThrows(SampleRejectedException.class, () -> FeatureSampleCodec.decode(new byte[0])).reason());
    }

    @Test
    void stampsDistinguishRawFromNormalized() {
        FeatureSample raw = SampleFixtures.valid(1).build();
        assertFalse(NormalizationStamps.isNormalized(raw));
        assertEquals("none", NormalizationStamps.describe(raw));

        FeatureSample normalized = raw.toBuilder().setNormalization(NormalizationStamp.newBuilder()
                .setState(NormalizationStamp.State.NORMALIZED).setMethod("zscore-per-channel")
                .setMethodVersion(1).putParameters("epsilon", "1.0E-5")).build();
        assertTrue(NormalizationStamps.isNormalized(normalized));
        assertEquals("zscore-per-channel@v1{epsilon=1.0E-5}", NormalizationStamps.describe(normalized));
    }
}
