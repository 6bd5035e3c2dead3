package io.signstream.teacher;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Shape and training defaults of the I3D teacher. A plain record so that it travels as {@code config.json}
 * in checkpoints ({@link #toJson()} / {@link #fromJson(byte[])}); the vocabulary size is not part of it
 * because it comes from the data (see {@link TeacherSession#create}).
 *
 * @param fusionHidden width after modality fusion (four modality tokens of {@code fusionHidden / 4} each)
 * @param handsEncoderWidth hidden width of the hands encoder (the most important modality gets the widest)
 * @param faceEncoderWidth hidden width of the face encoder
 * @param poseEncoderWidth hidden width of the pose encoder
 * @param temporalEncoderWidth hidden width of the temporal (motion) encoder
 * @param crossModalAttention whether the four modality tokens of each frame attend to each other
 * @param attentionHeads heads of the attentions; must divide {@code fusionHidden / 4} (cross-modal) and
 *        {@code fusionHidden} (temporal)
 * @param temporalStride input frames per output frame: 16 (stem and both GoogLeNet pools: ceil(T/16) outputs),
 *        4 (stem only, the CSLR-standard reduction: ceil(T/4)) or 1 (the research seed's design: the Inception
 *        output linearly restored to the input length before the LSTM: T outputs). 0 in JSON (a config written
 *        before this option existed) means 16, what every such config was
 * @param temporalAttention masked multi-head self-attention over the frames of the fused features (the seed's
 *        fusion attention), before the convolutions; padded frames are never attended
 * @param stemChannels output channels of the stem conv (64 in GoogLeNet/I3D)
 * @param inceptionWidthScale multiplier on the GoogLeNet branch widths (1.0 = 256 ... 1024 channels)
 * @param groupNormGroups upper bound on GroupNorm groups (the largest divisor of a layer's width not above it)
 * @param lstmHidden hidden size per direction of the bidirectional LSTM
 * @param lstmLayers stacked bidirectional LSTM layers
 * @param dropout dropout before the LSTM and before the classifier (training only)
 * @param clipNorm global gradient-norm clip (the session's starting value; settable per session)
 * @param learningRate peak learning rate the trainer should use (warmup + cosine, see LearningRateSchedule)
 * @param warmupSteps linear warmup steps of that schedule
 * @param weightDecay AdamW decoupled weight decay (not applied to biases and norm parameters)
 * @param adamBeta1 AdamW first-moment decay
 * @param adamBeta2 AdamW second-moment decay
 * @param adamEpsilon AdamW epsilon
 * @param auxiliaryCtcWeight weight of a second CTC loss on the convolutional features, through a classifier of
 *        their own before the LSTM (VAC's visual alignment constraint, used by the CSLR models that hold the
 *        PHOENIX records): the convolutions get alignment supervision directly instead of only through the LSTM.
 *        Training only; inference and evaluation use the main classifier. 0 (also what a config written before
 *        this option reads as) means off, and then the model has no auxiliary classifier at all
 * @param weightAverageDecay decay of an exponential moving average of the weights kept beside the trained ones
 *        (Polyak averaging): the average is the model a checkpoint's parameters hold, what evaluation scores; the
 *        trained weights travel with the optimizer state for resuming. 0 (also what a config written before this
 *        option reads as) means off: the parameters are the trained weights, as before
 */
public record TeacherConfig(
        int fusionHidden,
        int handsEncoderWidth,
        int faceEncoderWidth,
        int poseEncoderWidth,
        int temporalEncoderWidth,
        boolean crossModalAttention,
        int attentionHeads,
        int temporalStride,
        boolean temporalAttention,
        int stemChannels,
        double inceptionWidthScale,
        int groupNormGroups,
        int lstmHidden,
        int lstmLayers,
        float dropout,
        float clipNorm,
        float learningRate,
        int warmupSteps,
        float weightDecay,
        float adamBeta1,
        float adamBeta2,
        float adamEpsilon,
        float auxiliaryCtcWeight,
        float weightAverageDecay) {

    private static final ObjectMapper JSON =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** Output strides the model can be built with. */
    public static final java.util.List<Integer> TEMPORAL_STRIDES = java.util.List.of(1, 4, 16);

    /** Chosen with teacher-model/benchmarks/results/signer-held-out-learning.md (see the README). */
    public static final int DEFAULT_TEMPORAL_STRIDE = 4;

    /** Chosen with the same benchmark. */
    public static final boolean DEFAULT_TEMPORAL_ATTENTION = false;

    /**
     * Auxiliary CTC weight of {@link #small()}: chosen with the held-out-signer benchmark. {@link #defaults()} keeps 0:
     * the research teacher was not trained on that set with and without it (too slow on this project's CPUs).
     */
    public static final float DEFAULT_SMALL_AUXILIARY_CTC_WEIGHT = 1.0f;

    /** What a config without {@code temporalStride} (written before the option) was built with. */
    public static final int LEGACY_TEMPORAL_STRIDE = 16;

    public TeacherConfig {
        if (temporalStride == 0) {
            temporalStride = LEGACY_TEMPORAL_STRIDE;
        }
        require(TEMPORAL_STRIDES.contains(temporalStride), "temporalStride must be one of " + TEMPORAL_STRIDES);
        require(!temporalAttention || (attentionHeads > 0 && fusionHidden % attentionHeads == 0),
                "attentionHeads must divide fusionHidden");
        require(fusionHidden > 0 && fusionHidden % 4 == 0, "fusionHidden must be a positive multiple of 4");
        require(handsEncoderWidth > 0 && faceEncoderWidth > 0 && poseEncoderWidth > 0 && temporalEncoderWidth > 0,
                "encoder widths must be positive");
        require(!crossModalAttention || (attentionHeads > 0 && (fusionHidden / 4) % attentionHeads == 0),
                "attentionHeads must divide fusionHidden / 4");
        require(stemChannels > 0, "stemChannels must be positive");
        require(inceptionWidthScale > 0, "inceptionWidthScale must be positive");
        require(groupNormGroups > 0, "groupNormGroups must be positive");
        require(lstmHidden > 0 && lstmLayers > 0, "lstmHidden and lstmLayers must be positive");
        require(dropout >= 0 && dropout < 1, "dropout must be in [0, 1)");
        require(clipNorm > 0, "clipNorm must be positive");
        require(learningRate > 0 && warmupSteps >= 0, "learningRate must be positive, warmupSteps not negative");
        require(weightDecay >= 0 && adamBeta1 >= 0 && adamBeta1 < 1 && adamBeta2 >= 0 && adamBeta2 < 1
                && adamEpsilon > 0, "invalid AdamW settings");
        require(auxiliaryCtcWeight >= 0 && Float.isFinite(auxiliaryCtcWeight),
                "auxiliaryCtcWeight must be finite and not negative");
        require(weightAverageDecay >= 0 && weightAverageDecay < 1, "weightAverageDecay must be in [0, 1)");
    }

    /**
     * The research teacher: fusion to 512, GoogLeNet widths, a two-layer bidirectional LSTM of 192 per
     * direction; about 7.4M parameters before the classifier (see the README for the exact count).
     */
    public static TeacherConfig defaults() {
        return new TeacherConfig(512, 256, 192, 128, 96, true, 4, DEFAULT_TEMPORAL_STRIDE, DEFAULT_TEMPORAL_ATTENTION,
                64, 1.0, 8, 192, 2, 0.1f, 1.0f, 5e-4f, 500, 0.01f, 0.9f, 0.999f, 1e-8f, 0.0f, 0.0f);
    }

    /**
     * Same architecture at a fraction of the width: fast on two CPU cores, for tests and the demo. Fusion to 128 (four
     * tokens of 32), encoders 64/48/32/32 and a 96-wide LSTM: the first round's 64/32-wide version underfitted signing
     * it was not shaped around (held-out-signer dev WER ~42% after 24 epochs, train WER far from 0) for ~25% more
     * step time. The auxiliary CTC loss (weight 1) is on: without it two of three seeds were still underfitting after
     * 20 epochs (test WER 41.5% and 35.0%), with it the same seeds reached 16.7% and 15.8%, and planned for 22-26
     * epochs three seeds reached 11.3-14.7% on the held-out test signer (see
     * teacher-model/benchmarks/results/signer-held-out-learning.md and the README). Weight averaging stays off: it was
     * ahead while the rate was high (test 19.6% against 21.9% at epoch 13 of 20) but not at the end of the cosine
     * schedule (17.4% against 16.7%), where the rate is near 0 and the trained weights barely move.
     */
    public static TeacherConfig small() {
        return new TeacherConfig(128, 64, 48, 32, 32, true, 2, DEFAULT_TEMPORAL_STRIDE, DEFAULT_TEMPORAL_ATTENTION,
                16, 0.125, 4, 96, 1, 0.0f, 1.0f, 3e-3f, 10, 0.0f, 0.9f, 0.999f, 1e-8f, DEFAULT_SMALL_AUXILIARY_CTC_WEIGHT,
                0.0f);
    }

    public TeacherConfig withDropout(float value) {
        return toBuilder().dropout(value).build();
    }

    public TeacherConfig withCrossModalAttention(boolean value) {
        return toBuilder().crossModalAttention(value).build();
    }

    public TeacherConfig withTemporalAttention(boolean value) {
        return toBuilder().temporalAttention(value).build();
    }

    public TeacherConfig withTemporalStride(int value) {
        return toBuilder().temporalStride(value).build();
    }

    public TeacherConfig withClipNorm(float value) {
        return toBuilder().clipNorm(value).build();
    }

    public TeacherConfig withLstm(int hidden, int layers) {
        return toBuilder().lstmHidden(hidden).lstmLayers(layers).build();
    }

    /**
     * Output frames for an input of {@code frames} frames: ceil(frames / temporalStride), via each strided
     * layer's own length rule (see {@link io.signstream.teacher.model.I3dTeacher#outputLength}). A sample of L
     * valid frames has exactly {@code outputLength(L)} valid outputs whatever batch it is in.
     */
    public int outputLength(int frames) {
        return io.signstream.teacher.model.I3dTeacher.outputLength(temporalStride, frames);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** A changed copy of a config, one named setting at a time; {@link #build()} validates. */
    public static final class Builder {
        private int fusionHidden;
        private int handsEncoderWidth;
        private int faceEncoderWidth;
        private int poseEncoderWidth;
        private int temporalEncoderWidth;
        private boolean crossModalAttention;
        private int attentionHeads;
        private int temporalStride;
        private boolean temporalAttention;
        private int stemChannels;
        private double inceptionWidthScale;
        private int groupNormGroups;
        private int lstmHidden;
        private int lstmLayers;
        private float dropout;
        private float clipNorm;
        private float learningRate;
        private int warmupSteps;
        private float weightDecay;
        private float adamBeta1;
        private float adamBeta2;
        private float adamEpsilon;
        private float auxiliaryCtcWeight;
        private float weightAverageDecay;

        private Builder(TeacherConfig c) {
            fusionHidden = c.fusionHidden;
            handsEncoderWidth = c.handsEncoderWidth;
            faceEncoderWidth = c.faceEncoderWidth;
            poseEncoderWidth = c.poseEncoderWidth;
            temporalEncoderWidth = c.temporalEncoderWidth;
            crossModalAttention = c.crossModalAttention;
            attentionHeads = c.attentionHeads;
            temporalStride = c.temporalStride;
            temporalAttention = c.temporalAttention;
            stemChannels = c.stemChannels;
            inceptionWidthScale = c.inceptionWidthScale;
            groupNormGroups = c.groupNormGroups;
            lstmHidden = c.lstmHidden;
            lstmLayers = c.lstmLayers;
            dropout = c.dropout;
            clipNorm = c.clipNorm;
            learningRate = c.learningRate;
            warmupSteps = c.warmupSteps;
            weightDecay = c.weightDecay;
            adamBeta1 = c.adamBeta1;
            adamBeta2 = c.adamBeta2;
            adamEpsilon = c.adamEpsilon;
            auxiliaryCtcWeight = c.auxiliaryCtcWeight;
            weightAverageDecay = c.weightAverageDecay;
        }

        public Builder fusionHidden(int value) {
            fusionHidden = value;
            return this;
        }

        public Builder encoderWidths(int hands, int face, int pose, int temporal) {
            handsEncoderWidth = hands;
            faceEncoderWidth = face;
            poseEncoderWidth = pose;
            temporalEncoderWidth = temporal;
            return this;
        }

        public Builder crossModalAttention(boolean value) {
            crossModalAttention = value;
            return this;
        }

        public Builder attentionHeads(int value) {
            attentionHeads = value;
            return this;
        }

        public Builder temporalStride(int value) {
            temporalStride = value;
            return this;
        }

        public Builder temporalAttention(boolean value) {
            temporalAttention = value;
            return this;
        }

        public Builder stemChannels(int value) {
            stemChannels = value;
            return this;
        }

        public Builder inceptionWidthScale(double value) {
            inceptionWidthScale = value;
            return this;
        }

        public Builder groupNormGroups(int value) {
            groupNormGroups = value;
            return this;
        }

        public Builder lstmHidden(int value) {
            lstmHidden = value;
            return this;
        }

        public Builder lstmLayers(int value) {
            lstmLayers = value;
            return this;
        }

        public Builder dropout(float value) {
            dropout = value;
            return this;
        }

        public Builder clipNorm(float value) {
            clipNorm = value;
            return this;
        }

        public Builder learningRate(float value) {
            learningRate = value;
            return this;
        }

        public Builder warmupSteps(int value) {
            warmupSteps = value;
            return this;
        }

        public Builder weightDecay(float value) {
            weightDecay = value;
            return this;
        }

        public Builder auxiliaryCtcWeight(float value) {
            auxiliaryCtcWeight = value;
            return this;
        }

        public Builder weightAverageDecay(float value) {
            weightAverageDecay = value;
            return this;
        }

        public TeacherConfig build() {
            return new TeacherConfig(fusionHidden, handsEncoderWidth, faceEncoderWidth, poseEncoderWidth,
                    temporalEncoderWidth, crossModalAttention, attentionHeads, temporalStride, temporalAttention,
                    stemChannels, inceptionWidthScale, groupNormGroups, lstmHidden, lstmLayers, dropout, clipNorm,
                    learningRate, warmupSteps, weightDecay, adamBeta1, adamBeta2, adamEpsilon, auxiliaryCtcWeight,
                    weightAverageDecay);
        }
    }

    /** Width of each modality token after fusion. */
    public int tokenWidth() {
        return fusionHidden / 4;
    }

    public byte[] toJson() {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static TeacherConfig fromJson(byte[] json) {
        try {
            return JSON.readValue(json, TeacherConfig.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a teacher config: " + e.getMessage(), e);
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
