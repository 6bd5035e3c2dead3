package io.signstream.teacher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.signstream.contract.proto.Split;
import io.signstream.localstack.synthetic.SyntheticOptions;
import io.signstream.teacher.training.GradMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Training on the demo's data as the trainer receives it: {@code SyntheticOptions.defaults()} samples z-scored per
 * sample and channel ((x - mean) / max(std, 1e-6)), so every moving channel has unit variance, values reach about
 * +-5 and the noise-only channels are amplified like the signal.
 */
class NormalizedDataStabilityTest {

    private static final float LEARNING_RATE = 2e-3f;
    private static SyntheticCorpus corpus;
    private static List<TeacherBatch> batches;

    @BeforeAll
    static void data() {
        corpus = new SyntheticCorpus(SyntheticOptions.defaults());
        List<SyntheticCorpus.Sample> samples = new ArrayList<>(corpus.samples(Split.TRAIN, 24));
        // Batches of similar length, as the trainer's bucketing builds them.
        samples.sort(Comparator.comparingInt(SyntheticCorpus.Sample::frames));
        batches = SyntheticCorpus.batches(samples, 2);
    }

    @Test
    void trainsOnZScoredSyntheticDataWithoutSkipsOrGradientSpikes() {
        try (TeacherSession session = TeacherSession.create(TeacherConfig.small(), corpus.vocabularySize(), 7)) {
            double before = meanLoss(session);
            for (int step = 0; step < 36; step++) {
                TeacherBatch batch = batches.get((step * 5) % batches.size());
                StepResult result = session.trainStep(batch, LEARNING_RATE);
                assertFalse(result.skipped(), "step " + step + ": " + result.skipReason());
                assertTrue(Double.isFinite(result.gradNorm()) && result.gradNorm() < 1e3,
                        "step " + step + ": " + result);
            }
            double after = meanLoss(session);
            assertTrue(after < before, "mean loss " + before + " -> " + after);
        }
    }

    /**
     * The root cause of the spikes: the modality tokens' scale was free (everything downstream is scale-invariant)
     * and AdamW let it drift 200-fold on this data; the attention's logits grew with its square until the softmax
     * was a hard argmax with exploding gradients at near-ties. Inflating every encoder's output layer 100-fold
     * (what that drift amounts to) must change neither the model's output nor the gradient's scale.
     */
    @Test
    void driftOfTheModalityTokensScaleCannotSaturateTheAttention() {
        try (TeacherSession session = TeacherSession.create(TeacherConfig.small(), corpus.vocabularySize(), 8)) {
            for (int step = 0; step < 6; step++) {
                assertFalse(session.trainStep(batches.get(step), LEARNING_RATE).skipped());
            }
            TeacherBatch batch = batches.get(7);
            List<float[][]> reference = session.logProbs(batch.withoutTargets());
            TeacherSession.GradientProbe referenceGradient = session.probeGradients(batch);
            int inflated = 0;
            try (GradMode off = GradMode.disabled()) {
                for (Pair<String, Parameter> pair : session.block().getParameters()) {
                    String name = pair.getKey();
                    if (name.contains("fusion") && name.matches(".*_\\d+project_(weight|bias)")) {
                        NDArray array = pair.getValue().getArray();
                        array.muli(100f);
                        inflated++;
                    }
                }
            }
            assertEquals(8, inflated, "weight and bias of the four encoders' output layers");
            List<float[][]> logProbs = session.logProbs(batch.withoutTargets());
            double largestChange = 0;
            for (int b = 0; b < reference.size(); b++) {
                for (int t = 0; t < reference.get(b).length; t++) {
                    for (int c = 0; c < reference.get(b)[t].length; c++) {
                        largestChange = Math.max(largestChange,
                                Math.abs(reference.get(b)[t][c] - logProbs.get(b)[t][c]));
                    }
                }
            }
            assertTrue(largestChange < 1e-3, "log-probs moved by " + largestChange);
            TeacherSession.GradientProbe gradient = session.probeGradients(batch);
            assertNull(gradient.skipReason());
            assertTrue(gradient.gradNorm() <= 1.01 * referenceGradient.gradNorm(),
                    "gradient norm " + referenceGradient.gradNorm() + " -> " + gradient.gradNorm() + " "
                            + gradient.blockNorms());
        }
    }

    private static double meanLoss(TeacherSession session) {
        double sum = 0;
        for (TeacherBatch batch : batches) {
            sum += session.loss(batch);
        }
        return sum / batches.size();
    }
}
