package io.signstream.ingest.support;

import java.io.IOException;
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
}
