package io.signstream.contract;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;

/** Converts between the wire's float32 little-endian bytes and row-major {@code float[]} frames. */
public final class FeatureTensor {

    private FeatureTensor() {
    }

    public static float[] toFloats(ByteString bytes) {
        if (bytes.size() % Float.BYTES != 0) {
            throw new SampleRejectedException(RejectionReason.SIZE_MISMATCH,
                    "feature bytes (" + bytes.size() + ") are not a whole number of float32 values");
        }
        FloatBuffer view = bytes.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        float[] values = new float[view.remaining()];
        view.get(values);
        return values;
    }

    public static ByteString toBytes(float[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        // The buffer never escapes, so the ByteString may own its array: no second ~4 MB copy per sample.
        return UnsafeByteOperations.unsafeWrap(buffer.array());
    }
}
