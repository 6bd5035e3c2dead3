package io.signstream.teacher.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.signstream.contract.FeatureLayout;
import io.signstream.teacher.TeacherConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * The I3D teacher: modality fusion -> (temporal self-attention) -> stem -> Inception 3b, 3c, (pool 4a), 4b..4f,
 * (pool 5a), 5b, 5c -> (restore to the input length) -> bidirectional LSTM -> classifier with log-softmax.
 *
 * <p>The output rate follows {@link TeacherConfig#temporalStride()}: at 16 both GoogLeNet pools halve time after
 * the stride-4 stem; at 4 the pools are left out; at 1 the stride-4 Inception output is linearly restored to
 * the input length (per sample, see {@link TemporalRestore}) before the LSTM, as the research seed does.
 *
 * <p>Input (features [B, T, 6516], mask [B, T]); output (log-probs [B, T', V+1], mask [B, T']) where
 * T' = {@link #outputLength(int, int)} of T and a sample of L frames has {@code outputLength(L)} valid outputs.
 * In training with {@link TeacherConfig#auxiliaryCtcWeight()} above 0 a third output follows: the auxiliary
 * classifier's log-probs [B, T', V+1] on the convolutional features (same frames and mask).
 */
public class I3dTeacher extends CompositeBlock {

    public static final StridedLayer POOL_4A = new StridedLayer("maxPool4a", 3, 2, 1);
    public static final StridedLayer POOL_5A = new StridedLayer("maxPool5a", 3, 2, 1);

    private final TeacherConfig config;
    private final int classes;
    private final ModalityFusionBlock fusion;
    private final TemporalSelfAttention temporalAttention;
    private final List<Block> convolutional = new ArrayList<>();
    private final Dropout beforeLstm;
    private final BidirectionalLstmBlock lstm;
    private final Dropout beforeClassifier;
    private final ClassifierBlock classifier;
    private final ClassifierBlock auxiliaryClassifier;

    private I3dTeacher(TeacherConfig config, int classes) {
        this.config = config;
        this.classes = classes;
        int groups = config.groupNormGroups();
        fusion = addChildBlock("fusion", new ModalityFusionBlock(config));
        temporalAttention = config.temporalAttention()
                ? addChildBlock("temporalAttention", new TemporalSelfAttention(config.fusionHidden(),
                        config.attentionHeads()))
                : null;
        boolean pools = config.temporalStride() == 16;
        convolutional.add(addChildBlock("stem", new StemBlock(config.stemChannels(), groups)));
        for (InceptionSpec spec : InceptionSpec.GOOGLENET) {
            InceptionSpec scaled = spec.scaled(config.inceptionWidthScale());
            if (pools && spec.name().equals("inception4b")) {
                convolutional.add(addChildBlock(POOL_4A.name(), new TemporalPoolBlock(POOL_4A)));
            } else if (pools && spec.name().equals("inception5b")) {
                convolutional.add(addChildBlock(POOL_5A.name(), new TemporalPoolBlock(POOL_5A)));
            }
            convolutional.add(addChildBlock(spec.name(), new InceptionBlock(scaled, groups)));
        }
        beforeLstm = addChildBlock("dropoutLstm", Dropout.builder().optRate(config.dropout()).build());
        lstm = addChildBlock("lstm", new BidirectionalLstmBlock(config.lstmHidden(), config.lstmLayers()));
        beforeClassifier = addChildBlock("dropoutClassifier", Dropout.builder().optRate(config.dropout()).build());
        classifier = addChildBlock("classifier", new ClassifierBlock(classes));
        // Added last, so the names of every other parameter (and old checkpoints) stay as they were.
        auxiliaryClassifier = config.auxiliaryCtcWeight() > 0
                ? addChildBlock("auxiliaryClassifier", new ClassifierBlock(classes))
                : null;
    }

    /**
     * @param config shape of the model
     * @param vocabularySize glosses V; the classifier has V+1 outputs, class 0 is the CTC blank
     */
    public static I3dTeacher build(TeacherConfig config, int vocabularySize) {
        if (vocabularySize < 1) {
            throw new IllegalArgumentException("vocabularySize must be at least 1");
        }
        return new I3dTeacher(config, vocabularySize + 1);
    }

    /** Every layer that reduces the time resolution on the way to the LSTM at this output stride, in order. */
    public static List<StridedLayer> stridedLayers(int temporalStride) {
        List<StridedLayer> layers = new ArrayList<>();
        switch (temporalStride) {
            case 1 -> { } // the stem's reduction is undone by the restore
            case 4 -> layers.addAll(StemBlock.stridedLayers());
            case 16 -> {
                layers.addAll(StemBlock.stridedLayers());
                layers.add(POOL_4A);
                layers.add(POOL_5A);
            }
            default -> throw new IllegalArgumentException("temporalStride must be 1, 4 or 16");
        }
        return layers;
    }

    /**
     * Output frames for an input of {@code frames} frames at this output stride: each strided layer's floor
     * rule in turn, which is ceil(T/16), ceil(T/4) or T.
     */
    public static int outputLength(int temporalStride, int frames) {
        if (frames < 1) {
            throw new IllegalArgumentException("frames must be positive");
        }
        int length = frames;
        for (StridedLayer layer : stridedLayers(temporalStride)) {
            length = layer.outputLength(length);
        }
        return length;
    }

    public TeacherConfig config() {
        return config;
    }

    public int classes() {
        return classes;
    }

    public ModalityFusionBlock fusion() {
        return fusion;
    }

    /**
     * Creates every parameter (in {@code store}'s manager) by running one forward pass on a small dummy batch:
     * each child block initializes from the shapes it actually receives.
     */
    public void initializeParameters(ParameterStore store) {
        NDManager manager = store.getManager();
        try (NDManager scratch = manager.newSubManager()) {
            int frames = 32;
            NDArray features = scratch.zeros(new Shape(1, frames, FeatureLayout.DIMS));
            NDArray mask = scratch.ones(new Shape(1, frames));
            // DJL initializes a block lazily only on a training forward.
            forward(store, new NDList(features, mask), true);
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDList fused = fusion.forward(store, inputs, training);
        if (temporalAttention != null) {
            fused = temporalAttention.forward(store, fused, training);
        }
        // [B, T, C] -> [B, C, T] for the convolutions.
        NDList current = new NDList(fused.get(0).transpose(0, 2, 1), fused.get(1));
        for (Block block : convolutional) {
            current = block.forward(store, current, training);
        }
        NDArray sequence = current.get(0).transpose(0, 2, 1);
        NDArray mask = current.get(1);
        if (config.temporalStride() == 1) {
            NDArray inputMask = inputs.get(1);
            sequence = TemporalRestore.restore(sequence, Masks.lengths(mask), Masks.lengths(inputMask),
                    (int) inputMask.getShape().get(1));
            mask = inputMask;
        }
        NDList auxiliary = training && auxiliaryClassifier != null
                ? auxiliaryClassifier.forward(store, new NDList(sequence, mask), training)
                : null;
        sequence = beforeLstm.forward(store, new NDList(sequence), training).head();
        NDList recurrent = lstm.forward(store, new NDList(sequence, mask), training);
        NDArray features = beforeClassifier.forward(store, new NDList(recurrent.get(0)), training).head();
        NDList output = classifier.forward(store, new NDList(features, mask), training);
        if (auxiliary != null) {
            output.add(auxiliary.get(0));
        }
        return output;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        long frames = outputLength(config.temporalStride(), (int) in.get(1));
        return new Shape[] {new Shape(in.get(0), frames, classes), new Shape(in.get(0), frames)};
    }
}
