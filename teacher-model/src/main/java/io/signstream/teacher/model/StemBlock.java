package io.signstream.teacher.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.List;

/**
 * Conv1d(k7, s2) + GroupNorm + ReLU + MaxPool1d(k3, s2), plus a 1x1 stride-4 residual projection (with
 * GroupNorm) added before a final ReLU. Time stride 4. Input (x [B, Cin, T], mask [B, T]); output
 * (y [B, channels, ceil(T/4)], mask).
 */
public class StemBlock extends CompositeBlock {

    public static final StridedLayer CONV = new StridedLayer("stem.conv", 7, 2, 3);
    public static final StridedLayer POOL = new StridedLayer("stem.maxPool", 3, 2, 1);
    public static final StridedLayer RESIDUAL = new StridedLayer("stem.residual", 1, 4, 0);

    private final int channels;
    private final ConvUnit conv;
    private final ConvUnit residual;

    public StemBlock(int channels, int maxGroups) {
        this.channels = channels;
        conv = addChildBlock("conv", new ConvUnit(channels, CONV.kernel(), CONV.stride(), CONV.padding(), maxGroups));
        // No ReLU on the projection: it comes after the sum.
        residual = addChildBlock("residual",
                new ConvUnit(channels, RESIDUAL.kernel(), RESIDUAL.stride(), RESIDUAL.padding(), maxGroups, false));
    }

    /** The layers on the main path that change the time resolution, in order. */
    public static List<StridedLayer> stridedLayers() {
        return List.of(CONV, POOL);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray mask = inputs.get(1);
        NDArray half = Masks.downsample(mask);
        NDArray quarter = Masks.downsample(half);
        NDArray y = conv.forward(store, new NDList(x, half), training).head();
        y = Masks.maxPool(y, half, POOL.kernel(), POOL.stride(), POOL.padding());
        NDArray shortcut = residual.forward(store, new NDList(x, quarter), training).head();
        NDArray out = Activation.relu(y.add(shortcut)).mul(Masks.channels(quarter));
        return new NDList(out, quarter);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        long frames = POOL.outputLength(CONV.outputLength((int) in.get(2)));
        return new Shape[] {new Shape(in.get(0), channels, frames), new Shape(in.get(0), frames)};
    }
}
