package io.signstream.teacher;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv1d;
import java.util.Random;

/**
 * Checks that libtorch's batched 1-D convolution computes what the arithmetic says, before a model trusts it.
 *
 * <p>Why: on some x86 CPUs (seen on an AMD EPYC with AVX-512 under virtualization) the oneDNN kernels bundled with
 * libtorch 2.7.1 return wrong values for batched float convolutions from the AVX kernels up, while batch 1 (which
 * libtorch runs without oneDNN) is right: a sample's outputs then depend on its batch, training diverges to NaN, and
 * nothing reports an error. Limiting oneDNN to SSE4.1 kernels ({@code DNNL_MAX_CPU_ISA=SSE41}, read once when the
 * library loads) gives exact results there. This check runs a few convolutions of the teacher's shapes against a
 * plain double-precision loop and fails loudly instead of training on wrong numbers.
 */
public final class CpuNumericsCheck {

    /** Float32 sums of at most a few hundred products stay far below this; the broken kernels miss by ~1. */
    static final double TOLERANCE = 1e-3;

    private CpuNumericsCheck() {}

    /** Largest absolute difference between libtorch and the reference over the checked shapes. */
    public static double maxError(NDManager manager) {
        double worst = 0;
        // in channels, out channels, kernel, frames: shapes of the small and default teacher's Inception blocks.
        int[][] shapes = {{66, 24, 3, 6}, {66, 16, 1, 6}, {104, 40, 7, 12}, {32, 16, 3, 50}, {256, 64, 3, 13}};
        Random random = new Random(20261130);
        for (int[] s : shapes) {
            worst = Math.max(worst, error(manager, 2, s[0], s[1], s[2], s[3], random));
        }
        return worst;
    }

    /** Throws with the remedy when the check fails. */
    public static void require(NDManager manager) {
        double error = maxError(manager);
        if (!(error <= TOLERANCE)) {
            throw new IllegalStateException(String.format(java.util.Locale.ROOT,
                    "libtorch's batched convolution is wrong on this CPU (max error %.3g against a reference loop; "
                    + "DNNL_MAX_CPU_ISA=%s): start the process with DNNL_MAX_CPU_ISA=SSE41 (./signstream and the "
                    + "build set it unless it is already set)", error, System.getenv("DNNL_MAX_CPU_ISA")));
        }
    }

    private static double error(NDManager manager, int batch, int in, int out, int kernel, int frames, Random random) {
        float[] x = gaussian(random, batch * in * frames);
        float[] w = gaussian(random, out * in * kernel);
        int padding = kernel / 2;
        float[] actual;
        try (NDManager scratch = manager.newSubManager()) {
            NDArray input = scratch.create(x, new Shape(batch, in, frames));
            NDArray weight = scratch.create(w, new Shape(out, in, kernel));
            actual = Conv1d.conv1d(input, weight, null, new Shape(1), new Shape(padding), new Shape(1), 1).head()
                    .toFloatArray();
        }
        double worst = 0;
        for (int b = 0; b < batch; b++) {
            for (int o = 0; o < out; o++) {
                for (int t = 0; t < frames; t++) {
                    double sum = 0;
                    for (int c = 0; c < in; c++) {
                        for (int k = 0; k < kernel; k++) {
                            int source = t + k - padding;
                            if (source >= 0 && source < frames) {
                                sum += (double) w[(o * in + c) * kernel + k] * x[(b * in + c) * frames + source];
                            }
                        }
                    }
                    double diff = Math.abs(sum - actual[(b * out + o) * frames + t]);
                    worst = Double.isNaN(diff) ? Double.POSITIVE_INFINITY : Math.max(worst, diff);
                }
            }
        }
        return worst;
    }

    private static float[] gaussian(Random random, int count) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }
}
