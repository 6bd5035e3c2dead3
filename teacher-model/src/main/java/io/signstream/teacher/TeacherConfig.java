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
 * @param attentionHeads heads of that attention; must divide {@code fusionHidden / 4}
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
 */
public record TeacherConfig(
        int fusionHidden,
        int handsEncoderWidth,
        int faceEncoderWidth,
        int poseEncoderWidth,
        int temporalEncoderWidth,
        boolean crossModalAttention,
        int attentionHeads,
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
        float adamEpsilon) {

    private static final ObjectMapper JSON =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public TeacherConfig {
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
    }

    /**
     * The research teacher: fusion to 512, GoogLeNet widths, a two-layer bidirectional LSTM of 192 per
     * direction; about 7.4M parameters before the classifier (see the README for the exact count).
     */
    public static TeacherConfig defaults() {
        return new TeacherConfig(512, 256, 192, 128, 96, true, 4, 64, 1.0, 8, 192, 2, 0.1f,
                1.0f, 5e-4f, 500, 0.01f, 0.9f, 0.999f, 1e-8f);
    }

    /** Same architecture at a fraction of the width: fast on two CPU cores, for tests and the demo. */
    public static TeacherConfig small() {
        return new TeacherConfig(64, 32, 24, 16, 16, true, 2, 16, 0.125, 4, 32, 1, 0.0f,
                1.0f, 3e-3f, 10, 0.0f, 0.9f, 0.999f, 1e-8f);
    }

    public TeacherConfig withDropout(float value) {
        return new TeacherConfig(fusionHidden, handsEncoderWidth, faceEncoderWidth, poseEncoderWidth,
                temporalEncoderWidth, crossModalAttention, attentionHeads, stemChannels, inceptionWidthScale,
                groupNormGroups, lstmHidden, lstmLayers, value, clipNorm, learningRate, warmupSteps, weightDecay,
                adamBeta1, adamBeta2, adamEpsilon);
    }

    public TeacherConfig withCrossModalAttention(boolean value) {
        return new TeacherConfig(fusionHidden, handsEncoderWidth, faceEncoderWidth, poseEncoderWidth,
                temporalEncoderWidth, value, attentionHeads, stemChannels, inceptionWidthScale,
                groupNormGroups, lstmHidden, lstmLayers, dropout, clipNorm, learningRate, warmupSteps, weightDecay,
                adamBeta1, adamBeta2, adamEpsilon);
    }

    public TeacherConfig withLstm(int hidden, int layers) {
        return new TeacherConfig(fusionHidden, handsEncoderWidth, faceEncoderWidth, poseEncoderWidth,
                temporalEncoderWidth, crossModalAttention, attentionHeads, stemChannels, inceptionWidthScale,
                groupNormGroups, hidden, layers, dropout, clipNorm, learningRate, warmupSteps, weightDecay,
                adamBeta1, adamBeta2, adamEpsilon);
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
