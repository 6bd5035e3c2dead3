package io.signstream.teacher.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.signstream.teacher.TeacherBatch;
import io.signstream.teacher.TeacherConfig;
import io.signstream.teacher.TeacherSession;
import io.signstream.teacher.TestBatches;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The research-size model: parameter count from the architecture's own arithmetic, and one short forward. */
class DefaultModelTest {

    /** PHOENIX-2014-sized vocabulary for the count quoted in the README. */
    private static final int VOCABULARY = 1231;

    @Test
    void parameterCountMatchesTheArchitectureAndAForwardRuns() {
        TeacherConfig config = TeacherConfig.defaults();
        try (TeacherSession session = TeacherSession.create(config, VOCABULARY, 1)) {
            assertEquals(expectedParameters(config, VOCABULARY), session.parameterCount());
            TeacherBatch batch = TestBatches.batch(new int[] {40}, null, 1);
            List<float[][]> out = session.logProbs(batch);
            int stride = config.temporalStride();
            assertEquals((40 + stride - 1) / stride, out.get(0).length);
            assertEquals(VOCABULARY + 1, out.get(0)[0].length);
            for (float v : out.get(0)[out.get(0).length - 1]) {
                assertTrue(Float.isFinite(v));
            }
        }
    }

    @Test
    void smallConfigCount() {
        for (TeacherConfig config : List.of(TeacherConfig.small(), TeacherConfig.small().withTemporalAttention(true),
                TeacherConfig.small().withTemporalStride(16), TeacherConfig.small().withTemporalStride(1),
                TeacherConfig.small().toBuilder().auxiliaryCtcWeight(0f).build())) {
            try (TeacherSession session = TeacherSession.create(config, 8, 1)) {
                assertEquals(expectedParameters(config, 8), session.parameterCount(), config.toString());
            }
        }
    }

    /**
     * Written from the architecture description, not from the blocks: LayerNorm 2n; Linear in*out+out;
     * gate 1; Conv1d without bias in*out*k plus GroupNorm 2*out; LSTM 4H(in+H)+8H per direction.
     */
    static long expectedParameters(TeacherConfig c, int vocabulary) {
        int token = c.fusionHidden() / 4;
        long fusion = 0;
        int[][] modalities = {{99, c.poseEncoderWidth()}, {126, c.handsEncoderWidth()}, {1404, c.faceEncoderWidth()},
            {4887, c.temporalEncoderWidth()}};
        for (int[] m : modalities) {
            // LayerNorm(in), Linear(in -> hidden), Linear(hidden -> token), LayerNorm(token), gate
            fusion += 2L * m[0] + (long) m[0] * m[1] + m[1] + (long) m[1] * token + token + 2L * token + 1;
        }
        if (c.crossModalAttention()) {
            fusion += 4L * (token * token + token) + 2L * token;
        }
        if (c.temporalAttention()) {
            // query, key, value, output Linear(F -> F) and a LayerNorm(F) over the fused width F; the stride
            // changes no parameter (pools and the restore have none)
            fusion += 4L * ((long) c.fusionHidden() * c.fusionHidden() + c.fusionHidden()) + 2L * c.fusionHidden();
        }
        int stem = c.stemChannels();
        long total = fusion + (long) c.fusionHidden() * stem * 7 + 2L * stem + (long) c.fusionHidden() * stem + 2L * stem;
        int in = stem;
        int[][] googlenet = {{64, 96, 128, 16, 32, 32}, {128, 128, 192, 32, 96, 64}, {192, 96, 208, 16, 48, 64},
            {160, 112, 224, 24, 64, 64}, {128, 128, 256, 24, 64, 64}, {112, 144, 288, 32, 64, 64},
            {256, 160, 320, 32, 128, 128}, {256, 160, 320, 32, 128, 128}, {384, 192, 384, 48, 128, 128}};
        for (int[] widths : googlenet) {
            int[] w = new int[6];
            for (int i = 0; i < 6; i++) {
                w[i] = Math.max(4, (int) Math.round(widths[i] * c.inceptionWidthScale() / 4.0) * 4);
            }
            total += (long) in * w[0] + 2L * w[0];
            total += (long) in * w[1] + 2L * w[1] + (long) w[1] * w[2] * 3 + 2L * w[2];
            total += (long) in * w[3] + 2L * w[3] + (long) w[3] * w[4] * 7 + 2L * w[4];
            total += (long) in * w[5] + 2L * w[5];
            in = w[0] + w[2] + w[4] + w[5];
        }
        int hidden = c.lstmHidden();
        for (int layer = 0; layer < c.lstmLayers(); layer++) {
            int input = layer == 0 ? in : 2 * hidden;
            total += 2L * (4L * hidden * (input + hidden) + 8L * hidden);
        }
        total += 2L * hidden * (vocabulary + 1) + (vocabulary + 1);
        if (c.auxiliaryCtcWeight() > 0) {
            // the auxiliary classifier: Linear(last Inception width -> V+1)
            total += (long) in * (vocabulary + 1) + (vocabulary + 1);
        }
        return total;
    }
}
