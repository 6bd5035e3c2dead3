package io.signstream.teacher.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** Per-frame Linear to V+1 classes (blank = 0) and log-softmax. Input/output (x [B, T, C], mask). */
public class ClassifierBlock extends CompositeBlock {

    private final int classes;
    private final Linear linear;

    public ClassifierBlock(int classes) {
        this.classes = classes;
        linear = addChildBlock("linear", Linear.builder().setUnits(classes).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        var logits = linear.forward(store, new NDList(inputs.get(0)), training).head();
        return new NDList(logits.logSoftmax(2), inputs.get(1));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), in.get(1), classes), inputShapes[1]};
    }
}
