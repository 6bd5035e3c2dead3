package io.signstream.landmarks.pose;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.signstream.contract.RejectionReason;

/**
 * Reads the pose-format binary (sign-language-processing/pose, versions 0.1 and 0.2), little-endian throughout.
 * <pre>
 * header: float32 version; uint16 width, height, depth; uint16 component count; per component:
 *         str name, str format, uint16 points, limbs, colors; points x str; limbs x (uint16, uint16);
 *         colors x (uint16, uint16, uint16)          (str = uint16 byte length + UTF-8)
 * body 0.2: float32 fps; uint32 frames; uint16 people;
 * body 0.1: uint16 fps; uint16 frames (unreliable: the frame count follows from the bytes left); uint16 people;
 * then float32 data [frames, people, points, dims] and float32 confidence [frames, people, points], where points
 * is the sum over components and dims the longest format minus its confidence letter.
 * </pre>
 * A file that ends early is {@link RejectionReason#TRUNCATED_FILE}; bytes the header does not account for are
 * {@link RejectionReason#HEADER_BODY_MISMATCH}.
 */
public final class PoseReader {

    private PoseReader() {
    }

    /**
     * pose-format has no magic string: a file is taken for one when it starts with a version this reader knows.
     * Cheap enough to tell it apart from .npy/.npz uploads before reading it for real.
     */
    public static boolean looksLikePose(byte[] file) {
        return file.length >= 4 && knownVersion(ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getFloat(0));
    }

    public static PoseFile read(byte[] file) {
        ByteBuffer in = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        PoseHeader header = readHeader(in, file.length);
        return new PoseFile(header, readBody(header, in));
    }

    private static PoseHeader readHeader(ByteBuffer in, int size) {
        String where = "the version";
        try {
            float version = in.getFloat();
            if (!knownVersion(version)) {
                throw new PoseFormatException(RejectionReason.UNSUPPORTED_FORMAT, String.format(Locale.ROOT,
                        "pose-format version %s is not supported (0.1 or 0.2)", version));
            }
            where = "the dimensions";
            int width = Short.toUnsignedInt(in.getShort());
            int height = Short.toUnsignedInt(in.getShort());
            int depth = Short.toUnsignedInt(in.getShort());
            int count = Short.toUnsignedInt(in.getShort());
            List<PoseComponent> components = new ArrayList<>(count);
            for (int c = 0; c < count; c++) {
                where = "component " + (c + 1) + " of " + count;
                String name = string(in);
                String format = string(in);
                int points = Short.toUnsignedInt(in.getShort());
                int limbs = Short.toUnsignedInt(in.getShort());
                int colors = Short.toUnsignedInt(in.getShort());
                List<String> names = new ArrayList<>(points);
                for (int p = 0; p < points; p++) {
                    names.add(string(in));
                }
                int[] limbIndexes = unsignedShorts(in, 2 * limbs);
                int[] colorValues = unsignedShorts(in, 3 * colors);
                if (format.length() < 2) {
                    throw new PoseFormatException(RejectionReason.UNSUPPORTED_FORMAT, "component " + name
                            + " has point format '" + format + "': expected coordinates and a confidence, e.g. XYZC");
                }
                components.add(new PoseComponent(name, format, names, limbIndexes, colorValues));
            }
            return new PoseHeader(version, width, height, depth, components);
        } catch (BufferUnderflowException | IndexOutOfBoundsException e) {
            throw new PoseFormatException(RejectionReason.TRUNCATED_FILE, "the .pose file ends inside its header ("
                    + where + ") after " + size + " bytes");
        }
    }

    private static PoseBody readBody(PoseHeader header, ByteBuffer in) {
        boolean v2 = Math.round(header.version() * 1000) == 200;
        int fixed = v2 ? 4 + 4 + 2 : 2 + 2 + 2;
        if (in.remaining() < fixed) {
            throw new PoseFormatException(RejectionReason.TRUNCATED_FILE, "the .pose file ends after its header: "
                    + "the body's fps, frame count and people count are missing");
        }
        float fps = v2 ? in.getFloat() : Short.toUnsignedInt(in.getShort());
        long declaredFrames = v2 ? Integer.toUnsignedLong(in.getInt()) : Short.toUnsignedInt(in.getShort());
        int people = Short.toUnsignedInt(in.getShort());
        int points = header.totalPoints();
        int dims = header.dims();
        // Saturating: a hostile header must not overflow its way to a small size that seems to fit.
        long frameBytes = product(people, points, dims + 1L, Float.BYTES);
        long frames = v2 ? declaredFrames : v1Frames(in.remaining(), frameBytes, people, points, dims);
        long needed = product(frames, frameBytes);
        String shape = String.format(Locale.ROOT, "%d frames x %d people x %d points x (%d values + confidence)",
                frames, people, points, dims);
        if (needed > in.remaining()) {
            throw new PoseFormatException(RejectionReason.TRUNCATED_FILE, "the .pose body declares " + shape
                    + " = " + needed + " bytes, the file has " + in.remaining() + " after the header");
        }
        if (needed < in.remaining()) {
            throw new PoseFormatException(RejectionReason.HEADER_BODY_MISMATCH, "the .pose body has "
                    + in.remaining() + " bytes, its header and frame count describe " + shape + " = " + needed
                    + " bytes: " + (in.remaining() - needed) + " bytes are not accounted for");
        }
        float[] data = new float[(int) (frames * people * points * dims)];
        float[] confidence = new float[(int) (frames * people * points)];
        in.asFloatBuffer().get(data);
        in.position(in.position() + data.length * Float.BYTES);
        in.asFloatBuffer().get(confidence);
        return new PoseBody(fps, (int) frames, people, points, dims, data, confidence);
    }

    /** Version 0.1 stores the frame count as uint16, so readers take it from the size; it must come out whole. */
    private static long v1Frames(int remaining, long frameBytes, int people, int points, int dims) {
        if (frameBytes == 0) {
            return 0;
        }
        if (remaining % frameBytes != 0) {
            throw new PoseFormatException(RejectionReason.HEADER_BODY_MISMATCH, "the version 0.1 .pose body has "
                    + remaining + " bytes, not a whole number of frames of " + people + " people x " + points
                    + " points x (" + dims + " values + confidence) = " + frameBytes + " bytes");
        }
        return remaining / frameBytes;
    }

    private static long product(long... factors) {
        long result = 1;
        for (long factor : factors) {
            try {
                result = Math.multiplyExact(result, factor);
            } catch (ArithmeticException e) {
                return Long.MAX_VALUE;
            }
        }
        return result;
    }

    private static boolean knownVersion(float version) {
        long thousandths = Math.round(version * 1000.0);
        return thousandths == 100 || thousandths == 200;
    }

    private static String string(ByteBuffer in) {
        int length = Short.toUnsignedInt(in.getShort());
        byte[] bytes = new byte[length];
        in.get(bytes);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new PoseFormatException(RejectionReason.UNSUPPORTED_FORMAT, "a .pose header name is not UTF-8");
        }
    }

    private static int[] unsignedShorts(ByteBuffer in, int count) {
        if ((long) count * Short.BYTES > in.remaining()) {
            throw new BufferUnderflowException();
        }
        int[] values = new int[count];
        for (int i = 0; i < count; i++) {
            values[i] = Short.toUnsignedInt(in.getShort());
        }
        return values;
    }
}
