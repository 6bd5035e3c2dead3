package io.signstream.teacher.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Linear interpolation over time of each sample from its own valid length to a longer one, with
 * {@code torch.nn.functional.interpolate(mode="linear", align_corners=False)}'s rule: output frame t reads
 * input position {@code max(0, (t + 0.5) * in / out - 0.5)} between its two neighbours (the last input frame
 * repeated at the end). Per sample, not per batch: a sample is stretched from its valid length to its target
 * length, so padding never leaks into valid outputs, and padded output frames are exactly 0.
 */
public final class TemporalRestore {

    private TemporalRestore() {}

    /**
     * Weights of output frame t over input frames, row-major [outLength][inLength], for one sample.
     */
    public static float[] weights(int inLength, int outLength) {
        if (inLength < 1 || outLength < 1) {
            throw new IllegalArgumentException("lengths must be positive");
        }
        float[] w = new float[outLength * inLength];
        double scale = (double) inLength / outLength;
        for (int t = 0; t < outLength; t++) {
            double source = Math.max(0, (t + 0.5) * scale - 0.5);
            int left = Math.min((int) source, inLength - 1);
            int right = Math.min(left + 1, inLength - 1);
            double fraction = source - left;
            w[t * inLength + left] += (float) (1 - fraction);
            w[t * inLength + right] += (float) fraction;
        }
        return w;
    }

    /**
     * @param x [B, Tin, C] activations with padded frames zeroed
     * @param inLengths valid frames of each sample in {@code x}
     * @param outLengths valid frames each sample gets
     * @param outFrames padded length of the result
     * @return [B, outFrames, C]
     */
    public static NDArray restore(NDArray x, int[] inLengths, int[] outLengths, int outFrames) {
        Shape shape = x.getShape();
        int batch = (int) shape.get(0);
        int inFrames = (int) shape.get(1);
        float[] all = new float[batch * outFrames * inFrames];
        for (int b = 0; b < batch; b++) {
            if (outLengths[b] > outFrames || inLengths[b] > inFrames) {
                throw new IllegalArgumentException("a sample's length exceeds the padded length");
            }
            float[] w = weights(inLengths[b], outLengths[b]);
            for (int t = 0; t < outLengths[b]; t++) {
                System.arraycopy(w, t * inLengths[b], all, (b * outFrames + t) * inFrames, inLengths[b]);
            }
        }
        NDManager manager = x.getManager();
        NDArray matrix = manager.create(all, new Shape(batch, outFrames, inFrames));
        return matrix.matMul(x);
    }
}
