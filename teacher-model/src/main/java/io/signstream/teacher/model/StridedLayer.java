package io.signstream.teacher.model;

/** Kernel, stride and padding of a layer that changes the time resolution. */
public record StridedLayer(String name, int kernel, int stride, int padding) {

    /** PyTorch's conv/pool length rule (floor mode): floor((L + 2p - k) / s) + 1. */
    public int outputLength(int length) {
        return Math.floorDiv(length + 2 * padding - kernel, stride) + 1;
    }
}
