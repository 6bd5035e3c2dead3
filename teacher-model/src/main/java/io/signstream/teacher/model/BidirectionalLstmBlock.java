package io.signstream.teacher.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * Stacked bidirectional LSTM over [B, T, C] with per-sample lengths.
 *
 * <p>DJL's own bidirectional LSTM fails on the PyTorch engine (it orders weights before biases); this
 * block keeps torch's order (w_ih, w_hh, b_ih, b_hh per direction) and calls {@code NDArrayEx.lstm} once
 * per direction and layer. The backward direction runs over each sample reversed WITHIN its length, so it
 * starts at the sample's last valid frame instead of at the padding (what torch's packed sequences do).
 * Input (x [B, T, C], mask [B, T]); output (y [B, T, 2 * hidden] with padded frames zeroed, mask).
 */
public class BidirectionalLstmBlock extends AbstractBlock {

    private static final String[] DIRECTIONS = {"forward", "backward"};

    private final int hidden;
    private final int layers;
    /** [layer][direction] -> w_ih, w_hh, b_ih, b_hh. */
    private final List<List<Parameter[]>> weights = new ArrayList<>();

    public BidirectionalLstmBlock(int hidden, int layers) {
        this.hidden = hidden;
        this.layers = layers;
        // torch's default LSTM initialization: U(-1/sqrt(hidden), 1/sqrt(hidden)) for every weight and bias.
        UniformInitializer init = new UniformInitializer((float) (1 / Math.sqrt(hidden)));
        for (int layer = 0; layer < layers; layer++) {
            List<Parameter[]> perDirection = new ArrayList<>();
            for (String direction : DIRECTIONS) {
                String prefix = "l" + layer + "_" + direction + "_";
                Parameter[] p = new Parameter[4];
                p[0] = addParameter(Parameter.builder().setName(prefix + "w_ih").setType(Parameter.Type.WEIGHT)
                        .optInitializer(init).build());
                p[1] = addParameter(Parameter.builder().setName(prefix + "w_hh").setType(Parameter.Type.WEIGHT)
                        .optInitializer(init).build());
                p[2] = addParameter(Parameter.builder().setName(prefix + "b_ih").setType(Parameter.Type.BIAS)
                        .optInitializer(init).build());
                p[3] = addParameter(Parameter.builder().setName(prefix + "b_hh").setType(Parameter.Type.BIAS)
                        .optInitializer(init).build());
                perDirection.add(p);
            }
            weights.add(perDirection);
        }
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        long input = inputShapes[0].get(2);
        for (int layer = 0; layer < layers; layer++) {
            long in = layer == 0 ? input : 2L * hidden;
            for (Parameter[] p : weights.get(layer)) {
                p[0].setShape(new Shape(4L * hidden, in));
                p[1].setShape(new Shape(4L * hidden, hidden));
                p[2].setShape(new Shape(4L * hidden));
                p[3].setShape(new Shape(4L * hidden));
            }
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray mask = inputs.get(1);
        long batch = x.getShape().get(0);
        int frames = (int) x.getShape().get(1);
        NDArray reverseIndex = reverseWithinLength(x.getManager(), Masks.lengths(mask), frames);
        for (int layer = 0; layer < layers; layer++) {
            NDArray forward = run(store, x, weights.get(layer).get(0), batch, training);
            NDArray reversedInput = gatherFrames(x, reverseIndex);
            NDArray backward = gatherFrames(run(store, reversedInput, weights.get(layer).get(1), batch, training),
                    reverseIndex);
            x = forward.concat(backward, 2);
        }
        return new NDList(x.mul(mask.expandDims(2)), mask);
    }

    private NDArray run(ParameterStore store, NDArray x, Parameter[] p, long batch, boolean training) {
        NDList params = new NDList(4);
        for (Parameter parameter : p) {
            params.add(store.getValue(parameter, x.getDevice(), training));
        }
        NDArray h0 = x.getManager().zeros(new Shape(1, batch, hidden), x.getDataType(), x.getDevice());
        NDArray c0 = x.getManager().zeros(new Shape(1, batch, hidden), x.getDataType(), x.getDevice());
        return x.getNDArrayInternal()
                .lstm(x, new NDList(h0, c0), params, true, 1, 0.0, training, false, true)
                .head();
    }

    /** Index [B, T] that maps frame t to L-1-t inside a sample's length and leaves padding in place. */
    static NDArray reverseWithinLength(NDManager manager, int[] lengths, int frames) {
        long[] index = new long[lengths.length * frames];
        for (int b = 0; b < lengths.length; b++) {
            for (int t = 0; t < frames; t++) {
                index[b * frames + t] = t < lengths[b] ? lengths[b] - 1 - t : t;
            }
        }
        return manager.create(index, new Shape(lengths.length, frames));
    }

    private static NDArray gatherFrames(NDArray x, NDArray index) {
        Shape shape = x.getShape();
        NDArray expanded = index.toDevice(x.getDevice(), false).expandDims(2).repeat(2, shape.get(2));
        return x.gather(expanded, 1);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), in.get(1), 2L * hidden), inputShapes[1]};
    }
}
