package io.signstream.teacher.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;
import io.signstream.contract.Modality;

/**
 * One modality's per-frame encoder: LayerNorm over the modality's columns, Linear -> ReLU -> Linear to the
 * token width, LayerNorm over the token, times a learnable sigmoid gate. Input [B, T, width of the modality];
 * output [B, T, tokenWidth].
 *
 * <p>Why the token LayerNorm: nothing downstream pins a token's scale (the stem's GroupNorm and the attention's
 * post-LayerNorm are scale-invariant), and AdamW moves the first Linear of a wide modality (1404 face, 4887
 * temporal columns) by up to lr x width per step. Without it, on z-scored synthetic data, token norms drifted from
 * ~8 to ~1600 within four epochs of the default model, and the cross-modal attention's logits, which grow with the
 * square of that, from ~10 to ~8 x 10^5 and rising: the softmax becomes a hard argmax whose near-ties give gradient
 * spikes that grow with the logits (seen: a fusion-block gradient of 98 among steps of 2-5 with the small model).
 * With the LayerNorm a token has unit RMS (times gamma and the gate) whatever the weights' scale; the logits stayed
 * below ~65 in the same run.
 */
public class ModalityEncoder extends CompositeBlock {

    /** sigmoid(1) = 0.73: every modality starts mostly open. */
    private static final float GATE_START = 1f;

    private final Modality modality;
    private final int tokenWidth;
    private final LayerNorm norm;
    private final Linear hidden;
    private final Linear project;
    private final Parameter gate;
    private final LayerNorm tokenNorm;

    public ModalityEncoder(Modality modality, int hiddenWidth, int tokenWidth) {
        this.modality = modality;
        this.tokenWidth = tokenWidth;
        gate = addParameter(Parameter.builder().setName("gate").setType(Parameter.Type.OTHER)
                .optInitializer(new ConstantInitializer(GATE_START)).optShape(new Shape(1)).build());
        norm = addChildBlock("layerNorm", LayerNorm.builder().axis(2).build());
        hidden = addChildBlock("hidden", Linear.builder().setUnits(hiddenWidth).build());
        project = addChildBlock("project", Linear.builder().setUnits(tokenWidth).build());
        tokenNorm = addChildBlock("tokenNorm", LayerNorm.builder().axis(2).build());
    }

    public Modality modality() {
        return modality;
    }

    /** The gate's current opening, sigmoid(g), read to the host. */
    public float gateValue() {
        return (float) (1 / (1 + Math.exp(-gate.getArray().toFloatArray()[0])));
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.head();
        x = norm.forward(store, new NDList(x), training).head();
        x = Activation.relu(hidden.forward(store, new NDList(x), training).head());
        x = project.forward(store, new NDList(x), training).head();
        x = tokenNorm.forward(store, new NDList(x), training).head();
        NDArray g = store.getValue(gate, x.getDevice(), training);
        return new NDList(x.mul(Masks.scoped(Activation.sigmoid(g), x)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), in.get(1), tokenWidth)};
    }
}
