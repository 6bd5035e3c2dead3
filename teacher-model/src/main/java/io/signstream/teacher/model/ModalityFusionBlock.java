package io.signstream.teacher.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.signstream.contract.Modality;
import io.signstream.teacher.TeacherConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits [B, T, 6516] frames into the four modalities, encodes each (widths by importance: hands > face >
 * pose > temporal), gates them, optionally lets them attend to each other, and concatenates to
 * [B, T, fusionHidden]. Input (features, mask [B, T]); output (fused with padded frames zeroed, mask).
 */
public class ModalityFusionBlock extends CompositeBlock {

    private final int fusionHidden;
    private final List<ModalityEncoder> encoders = new ArrayList<>();
    private final CrossModalAttention attention;

    public ModalityFusionBlock(TeacherConfig config) {
        fusionHidden = config.fusionHidden();
        for (Modality modality : Modality.values()) {
            int width = switch (modality) {
                case HANDS -> config.handsEncoderWidth();
                case FACE -> config.faceEncoderWidth();
                case POSE -> config.poseEncoderWidth();
                case TEMPORAL -> config.temporalEncoderWidth();
            };
            encoders.add(addChildBlock(modality.name().toLowerCase(java.util.Locale.ROOT),
                    new ModalityEncoder(modality, width, config.tokenWidth())));
        }
        attention = config.crossModalAttention()
                ? addChildBlock("crossModalAttention", new CrossModalAttention(config.tokenWidth(),
                        config.attentionHeads()))
                : null;
    }

    public List<ModalityEncoder> encoders() {
        return List.copyOf(encoders);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray features = inputs.get(0);
        NDArray mask = inputs.get(1);
        Shape shape = features.getShape();
        NDList tokens = new NDList();
        for (ModalityEncoder encoder : encoders) {
            Modality m = encoder.modality();
            NDArray columns = features.get(":, :, " + m.start() + ":" + m.end());
            tokens.add(encoder.forward(store, new NDList(columns), training).head().expandDims(2));
        }
        NDArray stacked = NDArrays.concat(tokens, 2);
        if (attention != null) {
            stacked = attention.forward(store, new NDList(stacked), training).head();
        }
        NDArray fused = stacked.reshape(shape.get(0), shape.get(1), fusionHidden).mul(mask.expandDims(2));
        return new NDList(fused, mask);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), in.get(1), fusionHidden), inputShapes[1]};
    }
}
