package io.signstream.teacher.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;

/**
 * Time masks: a float [B, T] array, 1 on a sample's valid frames and 0 on padding. Every block that mixes
 * frames zeroes its padded outputs so that padding behaves like the convolutions' own zero padding: a
 * sample's valid outputs do not depend on how much junk follows it in a batch.
 */
public final class Masks {

    /** Far below any activation: padded frames can never win a max pool. */
    private static final float MAX_POOL_FILL = 1e9f;

    private Masks() {}

    public static NDArray fromLengths(NDManager manager, int[] lengths, int maxFrames) {
        float[] values = new float[lengths.length * maxFrames];
        for (int b = 0; b < lengths.length; b++) {
            for (int t = 0; t < Math.min(lengths[b], maxFrames); t++) {
                values[b * maxFrames + t] = 1f;
            }
        }
        return manager.create(values, new Shape(lengths.length, maxFrames));
    }

    /**
     * The mask after a stride-2 layer whose kernel is 2p+1 with padding p: output t is centred on input 2t,
     * so it is valid exactly when input 2t is, which gives ceil(L / 2) valid outputs of ceil(T / 2).
     */
    public static NDArray downsample(NDArray mask) {
        return mask.get(":, ::2");
    }

    /** [B, T] mask as [B, 1, T], to multiply [B, C, T] activations. */
    public static NDArray channels(NDArray mask) {
        return mask.expandDims(1);
    }

    /**
     * Max pool over time of [B, C, T] activations where padded frames count as minus infinity, the way
     * the pool's own padding does.
     */
    public static NDArray maxPool(NDArray x, NDArray mask, int kernel, int stride, int padding) {
        NDArray fill = channels(mask).sub(1f).mul(MAX_POOL_FILL);
        return Pool.maxPool1d(x.add(fill), new Shape(kernel), new Shape(stride), new Shape(padding), false);
    }

    /**
     * Hands an array derived from a parameter (a reshape, a sigmoid) to the manager of the activations it
     * is used with. Otherwise it would belong to the parameter's manager, the model's, and live (leak) as long
     * as the model does, one per forward pass.
     */
    public static NDArray scoped(NDArray derived, NDArray activation) {
        derived.attach(activation.getManager());
        return derived;
    }

    /** Valid frames per sample, read back to the host. */
    public static int[] lengths(NDArray mask) {
        float[] sums = mask.sum(new int[] {1}).toFloatArray();
        int[] lengths = new int[sums.length];
        for (int i = 0; i < sums.length; i++) {
            lengths[i] = Math.round(sums[i]);
        }
        return lengths;
    }
}
