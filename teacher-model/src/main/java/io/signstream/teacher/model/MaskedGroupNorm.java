package io.signstream.teacher.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * GroupNorm over [B, C, T] whose statistics cover only a sample's valid frames (DJL has no GroupNorm, and a
 * plain one would let padding shift every frame's normalization). Input (x, mask [B, T]); padded outputs are 0.
 */
public class MaskedGroupNorm extends AbstractBlock {

    private static final float EPSILON = 1e-5f;
    /**
     * A group of one or two channels over a handful of output frames is often (nearly) constant after a ReLU;
     * its 1/sqrt(variance + eps) then multiplies the gradient by up to 316 per layer, and twenty such layers
     * overflow float32 (seen with the small config: an infinite gradient at step 4 of the overfit check).
     */
    static final int MIN_CHANNELS_PER_GROUP = 4;

    private final int groups;
    private final Parameter gamma;
    private final Parameter beta;

    public MaskedGroupNorm(int channels, int maxGroups) {
        this.groups = largestDivisorAtMost(channels, Math.min(maxGroups, Math.max(1, channels / MIN_CHANNELS_PER_GROUP)));
        gamma = addParameter(Parameter.builder().setName("gamma").setType(Parameter.Type.GAMMA)
                .optShape(new Shape(channels)).build());
        beta = addParameter(Parameter.builder().setName("beta").setType(Parameter.Type.BETA)
                .optShape(new Shape(channels)).build());
    }

    static int largestDivisorAtMost(int value, int bound) {
        for (int g = Math.min(value, bound); g > 1; g--) {
            if (value % g == 0) {
                return g;
            }
        }
        return 1;
    }

    public int groups() {
        return groups;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray mask = inputs.get(1);
        long batch = x.getShape().get(0);
        long channels = x.getShape().get(1);
        long frames = x.getShape().get(2);
        long perGroup = channels / groups;
        NDArray groupMask = mask.reshape(batch, 1, 1, frames);
        NDArray count = mask.sum(new int[] {1}).mul(perGroup).reshape(batch, 1, 1, 1);
        NDArray grouped = x.reshape(batch, groups, perGroup, frames);
        NDArray mean = grouped.mul(groupMask).sum(new int[] {2, 3}, true).div(count);
        NDArray centred = grouped.sub(mean).mul(groupMask);
        NDArray variance = centred.square().sum(new int[] {2, 3}, true).div(count);
        NDArray normalized = centred.div(variance.add(EPSILON).sqrt()).reshape(batch, channels, frames);
        NDArray g = Masks.scoped(store.getValue(gamma, x.getDevice(), training).reshape(1, channels, 1), x);
        NDArray b = Masks.scoped(store.getValue(beta, x.getDevice(), training).reshape(1, channels, 1), x);
        return new NDList(normalized.mul(g).add(b).mul(Masks.channels(mask)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
