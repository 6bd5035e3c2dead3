package io.signstream.teacher.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Conv1d (no bias: the norm's beta is the bias) + masked GroupNorm + ReLU (optional), I3D's Unit3D in one dimension.
 * Input (x [B, Cin, T], mask at the OUTPUT resolution); output [B, filters, T'] with padded frames 0.
 */
public class ConvUnit extends CompositeBlock {

    private final Conv1d conv;
    private final MaskedGroupNorm norm;
    private final StridedLayer geometry;
    private final int filters;
    private final boolean relu;

    public ConvUnit(int filters, int kernel, int stride, int padding, int maxGroups) {
        this(filters, kernel, stride, padding, maxGroups, true);
    }

    /** @param relu false for a projection whose ReLU comes after a residual sum */
    public ConvUnit(int filters, int kernel, int stride, int padding, int maxGroups, boolean relu) {
        this.filters = filters;
        this.relu = relu;
        geometry = new StridedLayer("conv", kernel, stride, padding);
        conv = addChildBlock("conv", Conv1d.builder().setFilters(filters).setKernelShape(new Shape(kernel))
                .optStride(new Shape(stride)).optPadding(new Shape(padding)).optBias(false).build());
        norm = addChildBlock("groupNorm", new MaskedGroupNorm(filters, maxGroups));
    }

    public static ConvUnit pointwise(int filters, int maxGroups) {
        return new ConvUnit(filters, 1, 1, 0, maxGroups);
    }

    /** Stride 1, "same" length. */
    public static ConvUnit same(int filters, int kernel, int maxGroups) {
        return new ConvUnit(filters, kernel, 1, kernel / 2, maxGroups);
    }

    public StridedLayer geometry() {
        return geometry;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray y = conv.forward(store, new NDList(inputs.get(0)), training).head();
        y = norm.forward(store, new NDList(y, inputs.get(1)), training).head();
        return new NDList(relu ? Activation.relu(y) : y);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), filters,
                geometry.outputLength((int) in.get(2)))};
    }
}
