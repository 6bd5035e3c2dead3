package io.signstream.teacher.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Multi-head self-attention over the frames of a sample (the research seed's fusion attention on [B, T, C]),
 * with residual and LayerNorm. Padded frames are masked out as keys, so a valid frame's output never depends
 * on how much padding its batch adds; padded frames' own outputs are zeroed. Input/output ([B, T, C], mask).
 */
public class TemporalSelfAttention extends CompositeBlock {

    /** Added to the scores of padded keys: exp underflows to exactly 0 after the max shift. */
    private static final float PADDING_SCORE = -1e9f;

    private final int heads;
    private final Linear query;
    private final Linear key;
    private final Linear value;
    private final Linear output;
    private final LayerNorm norm;

    public TemporalSelfAttention(int width, int heads) {
        if (heads < 1 || width % heads != 0) {
            throw new IllegalArgumentException("heads must divide the width");
        }
        this.heads = heads;
        query = addChildBlock("query", Linear.builder().setUnits(width).build());
        key = addChildBlock("key", Linear.builder().setUnits(width).build());
        value = addChildBlock("value", Linear.builder().setUnits(width).build());
        output = addChildBlock("output", Linear.builder().setUnits(width).build());
        norm = addChildBlock("layerNorm", LayerNorm.builder().axis(2).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray mask = inputs.get(1);
        Shape shape = x.getShape();
        long batch = shape.get(0);
        long frames = shape.get(1);
        long width = shape.get(2);
        long headWidth = width / heads;
        NDArray q = split(query.forward(store, new NDList(x), training).head(), batch, frames, headWidth);
        NDArray k = split(key.forward(store, new NDList(x), training).head(), batch, frames, headWidth);
        NDArray v = split(value.forward(store, new NDList(x), training).head(), batch, frames, headWidth);
        // A scale owned by the activations' manager, not mul(float): see CrossModalAttention for the trap.
        NDArray scale = Masks.scoped(x.getManager().create((float) (1 / Math.sqrt(headWidth))), x);
        NDArray keyBias = mask.sub(1f).mul(-PADDING_SCORE).expandDims(1).expandDims(1); // [B, 1, 1, T]
        NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).mul(scale).add(keyBias); // [B, h, T, T]
        NDArray shifted = scores.sub(scores.max(new int[] {3}, true).stopGradient());
        NDArray exp = shifted.exp();
        NDArray weights = exp.div(exp.sum(new int[] {3}, true));
        NDArray attended = weights.matMul(v).transpose(0, 2, 1, 3).reshape(batch, frames, width);
        NDArray projected = output.forward(store, new NDList(attended), training).head();
        NDArray normalized = norm.forward(store, new NDList(x.add(projected)), training).head();
        return new NDList(normalized.mul(mask.expandDims(2)), mask);
    }

    /** [B, T, C] -> [B, heads, T, C / heads]. */
    private NDArray split(NDArray x, long batch, long frames, long headWidth) {
        return x.reshape(batch, frames, heads, headWidth).transpose(0, 2, 1, 3);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0], inputShapes[1]};
    }
}
