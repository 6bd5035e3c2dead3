package io.signstream.ingest.support;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import io.signstream.contract.FeatureLayout;
import io.signstream.contract.npy.FeatureMatrix;
import io.signstream.contract.npy.Npy;

/** Small feature tensors with known values, and unique ids (topics are shared by every test in the JVM). */
public final class TestSamples {

    private TestSamples() {
    }

    /** A fresh dataset folder under the import root (imports read nothing outside it). */
    public static Path newDataset(Path importRoot) throws IOException {
        Files.createDirectories(importRoot);
        return Files.createTempDirectory(importRoot.toAbsolutePath(), "dataset-");
    }

    public static String uniqueId(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 12);
    }

    /** value[t][d] = t + d / 10000: every value different and exactly reproducible by hand. */
    public static FeatureMatrix matrix(int frames, int dims) {
        float[] values = new float[frames * dims];
        for (int t = 0; t < frames; t++) {
            for (int d = 0; d < dims; d++) {
                values[t * dims + d] = t + d / 10000f;
            }
        }
        return new FeatureMatrix(frames, dims, values);
    }

    public static FeatureMatrix matrix(int frames) {
        return matrix(frames, FeatureLayout.DIMS);
    }

    public static byte[] npy(int frames) {
        return Npy.toBytes(matrix(frames));
    }

    public static byte[] npyWith(int frames, int frame, int column, float value) {
        FeatureMatrix matrix = matrix(frames);
        matrix.values()[frame * FeatureLayout.DIMS + column] = value;
        return Npy.toBytes(matrix);
    }

    /**
     * A version 1.0 {@code .npy} whose header says {@code 'shape': (shape)} exactly as given (so it can be broken,
     * e.g. {@code "'T', 6516"}), followed by {@code dataBytes} zero bytes.
     */
    public static byte[] npyWithShapeHeader(String shape, int dataBytes) {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + shape + "), }";
        String header = dict + " ".repeat((64 - (10 + dict.length() + 1) % 64) % 64) + "\n";
        ByteBuffer file = ByteBuffer.allocate(10 + header.length() + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        file.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length())
                .put(header.getBytes(StandardCharsets.ISO_8859_1));
        return file.array();
    }
}
