package io.signstream.contract.npy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * NumPy {@code .npy} (format 1.0-3.0) and {@code .npz} reading and writing, for the array kind the contract
 * accepts: dtype {@code <f4}, C order; 2-D for features ({@link #read}), any rank for {@link #readArray}.
 * Anything else is refused with the reason.
 */
public final class Npy {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");
    /** Header dictionaries are short; a huge one is a broken or hostile file. */
    private static final int MAX_HEADER_BYTES = 64 * 1024;

    /** The array name the contract reads from an {@code .npz}. */
    public static final String NPZ_FEATURES_KEY = "features";

    private Npy() {
    }

    public static FeatureMatrix read(byte[] file) {
        return toMatrix(readArray(file));
    }

    /** The contract's 2-D view of an array, refused with the reason when it has another number of dimensions. */
    public static FeatureMatrix toMatrix(NpyArray array) {
        int[] shape = array.shape();
        if (shape.length != 2) {
            throw new NpyFormatException("array has " + shape.length + " dimensions " + java.util.Arrays.toString(shape)
                    + ", the contract needs 2: [frames, feature dims]");
        }
        return new FeatureMatrix(shape[0], shape[1], array.values());
    }

    /**
     * Reads a {@code .npy} of any number of dimensions (dtype {@code <f4}, C order): the features [T, 6516] and
     * the landmarks [T, 543, 3|4] the ingest service accepts share this reader.
     */
    public static NpyArray readArray(byte[] file) {
        ByteBuffer buffer = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        if (file.length < 10) {
            throw new NpyFormatException("not a .npy file: " + file.length + " bytes is shorter than the header");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (file[i] != MAGIC[i]) {
                throw new NpyFormatException("not a .npy file: the magic string \\x93NUMPY is missing");
            }
        }
        int major = file[6];
        buffer.position(8);
        long headerLength = major == 1 ? Short.toUnsignedInt(buffer.getShort()) : Integer.toUnsignedLong(buffer.getInt());
        if (major < 1 || major > 3) {
            throw new NpyFormatException(".npy format version " + major + " is not supported (1, 2 or 3)");
        }
        if (headerLength > MAX_HEADER_BYTES || buffer.position() + headerLength > file.length) {
            throw new NpyFormatException(".npy header length " + headerLength + " is impossible for a "
                    + file.length + "-byte file");
        }
        String header = new String(file, buffer.position(), (int) headerLength,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        int dataStart = buffer.position() + (int) headerLength;

        String descr = find(DESCR, header, "descr");
        if (!descr.equals("<f4")) {
            throw new NpyFormatException("dtype '" + descr + "' is not supported: save the features as float32 "
                    + "(numpy: array.astype('<f4'))");
        }
        if (find(FORTRAN, header, "fortran_order").equals("True")) {
            throw new NpyFormatException("Fortran-order arrays are not supported: save a C-order array "
                    + "(numpy: np.ascontiguousarray(array))");
        }
        long[] shape = parseShape(find(SHAPE, header, "shape"));
        long count = 1;
        for (long dim : shape) {
            // Checked as it goes so a hostile shape cannot overflow the product.
            if (dim > Integer.MAX_VALUE || (count *= dim) > Integer.MAX_VALUE / Float.BYTES) {
                throw new NpyFormatException("array shape " + java.util.Arrays.toString(shape) + " is too large");
            }
        }
        long expectedBytes = count * Float.BYTES;
        if (file.length - dataStart != expectedBytes) {
            throw new NpyFormatException("array data is " + (file.length - dataStart) + " bytes, shape "
                    + java.util.Arrays.toString(shape) + " of float32 needs " + expectedBytes);
        }
        float[] values = new float[(int) count];
        ByteBuffer.wrap(file, dataStart, (int) expectedBytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        return new NpyArray(java.util.Arrays.stream(shape).mapToInt(d -> (int) d).toArray(), values);
    }

    /**
     * Reads the {@value #NPZ_FEATURES_KEY} array of an {@code .npz} (zip of .npy files, stored or deflated).
     * Other arrays, such as {@code detection_masks}, are allowed and ignored.
     */
    public static FeatureMatrix readNpz(byte[] file) {
        return toMatrix(readNpzArray(file, List.of(NPZ_FEATURES_KEY)));
    }

    /** The first of {@code keys} that an {@code .npz} holds, read with {@link #readArray}; the others are ignored. */
    public static NpyArray readNpzArray(byte[] file, List<String> keys) {
        Map<String, byte[]> entries = new HashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new java.io.ByteArrayInputStream(file))) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                entries.put(entry.getName(), zip.readAllBytes());
            }
        } catch (IOException e) {
            throw new NpyFormatException("not a readable .npz (zip) file: " + e.getMessage());
        }
        if (entries.isEmpty()) {
            throw new NpyFormatException("not a .npz file: no arrays found");
        }
        for (String key : keys) {
            byte[] array = entries.get(key + ".npy");
            if (array != null) {
                return readArray(array);
            }
        }
        throw new NpyFormatException(".npz has no " + keys.stream().map(k -> "'" + k + "'")
                .collect(java.util.stream.Collectors.joining(" or ")) + " array (found "
                + entries.keySet().stream().map(n -> n.replaceFirst("\\.npy$", "")).sorted().toList() + ")");
    }

    /** Reads {@code .npy} or {@code .npz}, told apart by their leading bytes. */
    public static FeatureMatrix readAny(byte[] file) {
        return isNpz(file) ? readNpz(file) : read(file);
    }

    /** A zip archive (an {@code .npz}) starts with the local file header signature {@code PK\3\4}. */
    public static boolean isNpz(byte[] file) {
        return file.length >= 4 && file[0] == 'P' && file[1] == 'K' && file[2] == 3 && file[3] == 4;
    }

    /** A {@code .npy} starts with the magic string {@code \x93NUMPY}. */
    public static boolean isNpy(byte[] file) {
        return file.length >= MAGIC.length && java.util.Arrays.equals(file, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    /** Writes a version 1.0 {@code .npy}: dtype {@code <f4}, C order, 2-D. */
    public static void write(FeatureMatrix matrix, OutputStream out) {
        write(new NpyArray(new int[] {matrix.rows(), matrix.columns()}, matrix.values()), out);
    }

    /** Writes a version 1.0 {@code .npy}: dtype {@code <f4}, C order, the array's shape. */
    public static void write(NpyArray array, OutputStream out) {
        String shape = java.util.Arrays.stream(array.shape()).mapToObj(Integer::toString)
                .collect(java.util.stream.Collectors.joining(", ")) + (array.shape().length == 1 ? "," : "");
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + shape + "), }";
        // magic(6) + version(2) + length(2) + dict + padding + '\n' must be a multiple of 64
        int unpadded = 10 + dict.length() + 1;
        int padding = (64 - unpadded % 64) % 64;
        String header = dict + " ".repeat(padding) + "\n";
        ByteBuffer prefix = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
        prefix.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
        ByteBuffer data = ByteBuffer.allocate(array.values().length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        data.asFloatBuffer().put(array.values());
        try {
            out.write(prefix.array());
            out.write(header.getBytes(StandardCharsets.ISO_8859_1));
            out.write(data.array());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] toBytes(NpyArray array) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128 + array.values().length * Float.BYTES);
        write(array, out);
        return out.toByteArray();
    }

    public static byte[] toBytes(FeatureMatrix matrix) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128 + matrix.values().length * Float.BYTES);
        write(matrix, out);
        return out.toByteArray();
    }

    /** Writes an {@code .npz} holding the arrays under their names (e.g. {@value #NPZ_FEATURES_KEY}). */
    public static byte[] toNpzBytes(Map<String, FeatureMatrix> arrays) {
        Map<String, NpyArray> general = new java.util.LinkedHashMap<>();
        arrays.forEach((name, m) -> general.put(name, new NpyArray(new int[] {m.rows(), m.columns()}, m.values())));
        return toNpz(general);
    }

    /** Writes an {@code .npz} holding arrays of any rank under their names. */
    public static byte[] toNpz(Map<String, NpyArray> arrays) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, NpyArray> array : arrays.entrySet()) {
                zip.putNextEntry(new ZipEntry(array.getKey() + ".npy"));
                write(array.getValue(), zip);
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static FeatureMatrix read(InputStream in) {
        try {
            return readAny(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The dimensions of a header's {@code 'shape': (...)}; a dimension that is not a non-negative integer (a
     * broken or hand-edited header) is refused with the reason, not left to fail as a number format error.
     */
    private static long[] parseShape(String text) {
        String[] dims = text.split(",");
        long[] shape = new long[dims.length];
        int rank = 0;
        for (String dim : dims) {
            String trimmed = dim.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            if (!trimmed.matches("[0-9]{1,18}")) {
                throw new NpyFormatException(".npy header shape (" + abbreviate(text) + ") has the dimension '"
                        + abbreviate(trimmed) + "', not a non-negative integer");
            }
            shape[rank++] = Long.parseLong(trimmed);
        }
        return java.util.Arrays.copyOf(shape, rank);
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }

    private static String find(Pattern pattern, String header, String key) {
        Matcher matcher = pattern.matcher(header);
        if (!matcher.find()) {
            throw new NpyFormatException(".npy header has no '" + key + "': " + header.trim());
        }
        return matcher.group(1);
    }
}
