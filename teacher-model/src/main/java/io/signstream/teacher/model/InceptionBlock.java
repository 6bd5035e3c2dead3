package io.signstream.teacher.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * One Inception block over time (stride 1). Input (x [B, C, T], mask [B, T]); output
 * (y [B, spec.outputChannels(), T], mask).
 */
public class InceptionBlock extends CompositeBlock {

    public static final StridedLayer POOL_BRANCH = new StridedLayer("inception.poolBranch", 3, 1, 1);

    private final InceptionSpec spec;
    private final ConvUnit oneByOne;
    private final ConvUnit threeReduce;
    private final ConvUnit three;
    private final ConvUnit sevenReduce;
    private final ConvUnit seven;
    private final ConvUnit poolProjection;

    public InceptionBlock(InceptionSpec spec, int maxGroups) {
        this.spec = spec;
        oneByOne = addChildBlock("branch1x1", ConvUnit.pointwise(spec.oneByOne(), maxGroups));
        threeReduce = addChildBlock("branch3Reduce", ConvUnit.pointwise(spec.threeReduce(), maxGroups));
        three = addChildBlock("branch3", ConvUnit.same(spec.threeOut(), 3, maxGroups));
        sevenReduce = addChildBlock("branch7Reduce", ConvUnit.pointwise(spec.sevenReduce(), maxGroups));
        seven = addChildBlock("branch7", ConvUnit.same(spec.sevenOut(), 7, maxGroups));
        poolProjection = addChildBlock("branchPool", ConvUnit.pointwise(spec.poolProjection(), maxGroups));
    }

    public InceptionSpec spec() {
        return spec;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray mask = inputs.get(1);
        NDArray a = oneByOne.forward(store, new NDList(x, mask), training).head();
        NDArray b = threeReduce.forward(store, new NDList(x, mask), training).head();
        b = three.forward(store, new NDList(b, mask), training).head();
        NDArray c = sevenReduce.forward(store, new NDList(x, mask), training).head();
        c = seven.forward(store, new NDList(c, mask), training).head();
        NDArray pooled = Masks.maxPool(x, mask, POOL_BRANCH.kernel(), POOL_BRANCH.stride(), POOL_BRANCH.padding());
        NDArray d = poolProjection.forward(store, new NDList(pooled, mask), training).head();
        return new NDList(NDArrays.concat(new NDList(a, b, c, d), 1), mask);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), spec.outputChannels(), in.get(2)), inputShapes[1]};
    }
}
