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

    /**
     * Decodes into the start of {@code into} (which may be longer, e.g. a buffer reused from sample to sample);
     * returns how many values it wrote.
     */
    public static int toFloats(ByteString bytes, float[] into) {
        if (bytes.size() % Float.BYTES != 0) {
            throw new SampleRejectedException(RejectionReason.SIZE_MISMATCH,
                    "feature bytes (" + bytes.size() + ") are not a whole number of float32 values");
        }
        FloatBuffer view = bytes.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        int count = view.remaining();
        if (count > into.length) {
            throw new IllegalArgumentException(count + " values do not fit an array of " + into.length);
        }
        view.get(into, 0, count);
        return count;
    }

    public static ByteString toBytes(float[] values) {
        byte[] bytes = new byte[Math.multiplyExact(values.length, Float.BYTES)];
        write(values, bytes, 0);
        // The array never escapes, so the ByteString may own it: no second ~4 MB copy per sample.
        return UnsafeByteOperations.unsafeWrap(bytes);
    }

    /** Writes {@code values} as float32 little-endian into {@code bytes} from {@code offset}. */
    public static void write(float[] values, byte[] bytes, int offset) {
        write(values, values.length, bytes, offset);
    }

    /** Writes the first {@code count} of {@code values} as float32 little-endian into {@code bytes} from {@code offset}. */
    public static void write(float[] values, int count, byte[] bytes, int offset) {
        ByteBuffer.wrap(bytes, offset, count * Float.BYTES).slice().order(ByteOrder.LITTLE_ENDIAN)
                .asFloatBuffer().put(values, 0, count);
    }
}
