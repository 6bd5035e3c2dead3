package io.signstream.teacher.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** GoogLeNet's between-stage max pool (4a, 5a) over time: k3, s2, p1, halving the frame rate. */
public class TemporalPoolBlock extends CompositeBlock {

    private final StridedLayer geometry;

    public TemporalPoolBlock(StridedLayer geometry) {
        if (geometry.kernel() != 2 * geometry.padding() + 1) {
            throw new IllegalArgumentException("the mask rule needs kernel = 2 * padding + 1");
        }
        this.geometry = geometry;
    }

    public StridedLayer geometry() {
        return geometry;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray mask = inputs.get(1);
        NDArray half = Masks.downsample(mask);
        NDArray y = Masks.maxPool(x, mask, geometry.kernel(), geometry.stride(), geometry.padding());
        return new NDList(y.mul(Masks.channels(half)), half);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        long frames = geometry.outputLength((int) in.get(2));
        return new Shape[] {new Shape(in.get(0), in.get(1), frames), new Shape(in.get(0), frames)};
    }
}
