package io.signstream.contract.npy;

import java.util.Arrays;

/** A float32 array of any rank read from a NumPy file: {@code shape}, values row-major (C order). */
public record NpyArray(int[] shape, float[] values) {

    public NpyArray {
        long count = Arrays.stream(shape).asLongStream().reduce(1, (a, b) -> a * b);
        if (count != values.length) {
            throw new IllegalArgumentException(Arrays.toString(shape) + " does not match " + values.length + " values");
        }
    }
}
