package io.signstream.teacher.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Multi-head self-attention among the modality tokens of each frame (never across frames, so padding
 * cannot leak in), with residual and LayerNorm. Input/output [B, T, modalities, tokenWidth].
 */
public class CrossModalAttention extends CompositeBlock {

    private final int heads;
    private final Linear query;
    private final Linear key;
    private final Linear value;
    private final Linear output;
    private final LayerNorm norm;

    public CrossModalAttention(int tokenWidth, int heads) {
        this.heads = heads;
        query = addChildBlock("query", Linear.builder().setUnits(tokenWidth).build());
        key = addChildBlock("key", Linear.builder().setUnits(tokenWidth).build());
        value = addChildBlock("value", Linear.builder().setUnits(tokenWidth).build());
        output = addChildBlock("output", Linear.builder().setUnits(tokenWidth).build());
        norm = addChildBlock("layerNorm", LayerNorm.builder().axis(2).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        Shape shape = inputs.head().getShape();
        long batch = shape.get(0);
        long frames = shape.get(1);
        long count = shape.get(2);
        long width = shape.get(3);
        // Linear and LayerNorm see [B, T * M, W], the 3-D layout the encoders use.
        NDArray tokens = inputs.head().reshape(batch, frames * count, width);
        long headWidth = width / heads;
        NDArray q = split(query.forward(store, new NDList(tokens), training).head(), batch, frames, count, headWidth);
        NDArray k = split(key.forward(store, new NDList(tokens), training).head(), batch, frames, count, headWidth);
        NDArray v = split(value.forward(store, new NDList(tokens), training).head(), batch, frames, count, headWidth);
        // NOT scores.div(float): DJL turns the number into a temporary tensor over a direct buffer and closes it,
        // but autograd keeps that tensor for the backward pass, which then reads memory the GC may have freed
        // (seen here: q/k gradients of 1e18 or NaN whenever a GC ran between forward and backward). An array
        // owned by the activations' manager lives until the step's scope closes, after backward.
        NDArray scale = Masks.scoped(tokens.getManager().create((float) (1 / Math.sqrt(headWidth))), tokens);
        // Four tokens per frame: broadcast products are as cheap as a batched matMul here.
        NDArray scores = q.expandDims(4).mul(k.expandDims(3)).sum(new int[] {5}).mul(scale);
        NDArray shifted = scores.sub(scores.max(new int[] {4}, true).stopGradient());
        NDArray exp = shifted.exp();
        NDArray weights = exp.div(exp.sum(new int[] {4}, true));
        NDArray attended = weights.expandDims(5).mul(v.expandDims(3)).sum(new int[] {4})
                .transpose(0, 1, 3, 2, 4).reshape(batch, frames, count, width);
        NDArray projected = output.forward(store, new NDList(attended.reshape(batch, frames * count, width)), training)
                .head();
        NDArray normalized = norm.forward(store, new NDList(tokens.add(projected)), training).head();
        return new NDList(normalized.reshape(batch, frames, count, width));
    }

    /** [B, T, M, W] -> [B, T, heads, M, W / heads]. */
    private NDArray split(NDArray x, long batch, long frames, long count, long headWidth) {
        return x.reshape(batch, frames, count, heads, headWidth).transpose(0, 1, 3, 2, 4);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
