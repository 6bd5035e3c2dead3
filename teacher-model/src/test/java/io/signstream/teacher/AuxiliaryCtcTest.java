package io.signstream.teacher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.signstream.teacher.model.InceptionSpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The auxiliary CTC loss on the convolutional features (TeacherConfig#auxiliaryCtcWeight): what it adds to the
 * model, where its gradient goes, and that it leaves inference and old configs alone.
 */
class AuxiliaryCtcTest {

    private static final int VOCABULARY = 9;
    private static final int[][] TARGETS = {{1, 2, 3}, {4, 4}};

    private static TeacherBatch batch() {
        return TestBatches.batch(new int[] {64, 50}, TARGETS, 3);
    }

    /**
     * Dropout off: two sessions of one seed then compute exactly the same forward pass. Weight averaging off: a
     * parameter file then holds the trained weights.
     */
    private static TeacherConfig config(float auxiliaryWeight, int stride) {
        return TeacherConfig.small().toBuilder().dropout(0f).temporalStride(stride)
                .auxiliaryCtcWeight(auxiliaryWeight).weightAverageDecay(0f).build();
    }

    @Test
    void addsOneClassifierOnTheConvolutionalWidthAndNothingWhenOff() {
        InceptionSpec last = InceptionSpec.GOOGLENET.get(InceptionSpec.GOOGLENET.size() - 1);
        long convolutionalWidth = last.scaled(TeacherConfig.small().inceptionWidthScale()).outputChannels();
        try (TeacherSession off = TeacherSession.create(config(0f, 4), VOCABULARY, 1);
                TeacherSession on = TeacherSession.create(config(0.5f, 4), VOCABULARY, 1)) {
            assertTrue(off.parameterSizes().keySet().stream().noneMatch(k -> k.contains("auxiliary")),
                    off.parameterSizes().keySet().toString());
            // Linear to V+1 classes: weight (V+1) x C and bias V+1.
            assertEquals((VOCABULARY + 1) * (convolutionalWidth + 1), on.parameterCount() - off.parameterCount());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4, 16})
    void gradientReachesTheConvolutionsButNeitherTheLstmNorTheMainClassifier(int stride) {
        TeacherBatch batch = stride == 16 ? TestBatches.batch(new int[] {96, 80}, TARGETS, 3) : batch();
        Map<String, Double> single;
        Map<String, Double> doubled;
        try (TeacherSession session = TeacherSession.create(config(1f, stride), VOCABULARY, 7)) {
            single = session.probeGradients(batch).blockNorms();
        }
        try (TeacherSession session = TeacherSession.create(config(2f, stride), VOCABULARY, 7)) {
            doubled = session.probeGradients(batch).blockNorms();
        }
        // Only the auxiliary loss reaches the auxiliary classifier: its gradient is linear in the weight.
        assertEquals(2 * single.get("auxiliaryClassifier"), doubled.get("auxiliaryClassifier"),
                1e-4 * single.get("auxiliaryClassifier"));
        assertTrue(single.get("auxiliaryClassifier") > 0);
        // The auxiliary head sits before the LSTM: the LSTM and the main classifier see the main loss only.
        assertEquals(single.get("lstm"), doubled.get("lstm"), 1e-5 * single.get("lstm"));
        assertEquals(single.get("classifier"), doubled.get("classifier"), 1e-5 * single.get("classifier"));
        // ... and the convolutions below it get both.
        assertNotEquals(single.get("stem"), doubled.get("stem"), 1e-3 * single.get("stem"));
    }

    @Test
    void inferenceUsesTheMainClassifierAndParametersRoundTrip() {
        TeacherBatch batch = batch();
        byte[] saved;
        List<float[][]> expected;
        try (TeacherSession trained = TeacherSession.create(config(1f, 4), VOCABULARY, 5)) {
            assertFalse(trained.trainStep(batch, 1e-3f).skipped());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            trained.saveParameters(out);
            saved = out.toByteArray();
            expected = trained.logProbs(batch.withoutTargets());
            // One row per output frame, the main classifier's width (V+1 classes).
            assertEquals(trained.outputLength(64), expected.get(0).length);
            assertEquals(VOCABULARY + 1, expected.get(0)[0].length);
        }
        try (TeacherSession fresh = TeacherSession.create(config(1f, 4), VOCABULARY, 99)) {
            fresh.loadParameters(new ByteArrayInputStream(saved));
            List<float[][]> actual = fresh.logProbs(batch.withoutTargets());
            for (int b = 0; b < expected.size(); b++) {
                for (int t = 0; t < expected.get(b).length; t++) {
                    assertArrayEquals(expected.get(b)[t], actual.get(b)[t], 1e-6f);
                }
            }
        }
    }

    @Test
    void repeatedStepsLowerBothLossesAtEveryStride() {
        for (int stride : TeacherConfig.TEMPORAL_STRIDES) {
            TeacherBatch batch = stride == 16 ? TestBatches.batch(new int[] {96, 80}, TARGETS, 3) : batch();
            try (TeacherSession session = TeacherSession.create(config(1f, stride), VOCABULARY, 11)) {
                double before = session.loss(batch);
                for (int i = 0; i < 30; i++) {
                    assertFalse(session.trainStep(batch, 3e-3f).skipped());
                }
                double after = session.loss(batch);
                assertTrue(after < 0.5 * before, "stride " + stride + ": main loss " + before + " -> " + after);
            }
        }
    }

    @Test
    void aConfigWrittenBeforeTheOptionHasNoAuxiliaryLoss() {
        String json = new String(TeacherConfig.small().toJson(), StandardCharsets.UTF_8)
                .replaceAll(",\\s*\"auxiliaryCtcWeight\"\\s*:\\s*[0-9.eE-]+", "");
        assertFalse(json.contains("auxiliaryCtcWeight"), json);
        assertEquals(0f, TeacherConfig.fromJson(json.getBytes(StandardCharsets.UTF_8)).auxiliaryCtcWeight());
        TeacherConfig on = config(0.5f, 4);
        assertEquals(on, TeacherConfig.fromJson(on.toJson()));
    }
}
