package io.signstream.contract.npy;

/** A 2-D float32 array read from or written to NumPy files: {@code rows x columns}, row-major. */
public record FeatureMatrix(int rows, int columns, float[] values) {

    public FeatureMatrix {
        if ((long) rows * columns != values.length) {
            throw new IllegalArgumentException(rows + " x " + columns + " does not match " + values.length + " values");
        }
    }
}
