package io.signstream.teacher.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.signstream.contract.FeatureLayout;
import io.signstream.teacher.TeacherBatch;
import io.signstream.teacher.TeacherConfig;
import io.signstream.teacher.TeacherSession;
import io.signstream.teacher.TestBatches;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every output stride, with and without temporal attention: lengths, masks, padding independence. */
class TemporalStrideTest {

    private static final int VOCABULARY = 7;

    static Stream<Arguments> variants() {
        return Stream.of(1, 4, 16).flatMap(stride -> Stream.of(false, true).map(temporal -> Arguments.of(stride, temporal)));
    }

    static TeacherConfig config(int stride, boolean temporalAttention) {
        return TeacherConfig.small().withTemporalStride(stride).withTemporalAttention(temporalAttention);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4, 16})
    void outputLengthIsTheCeilingOfFramesOverTheStride(int stride) {
        TeacherConfig config = config(stride, false);
        for (int frames = 1; frames <= 1000; frames++) {
            assertEquals((frames + stride - 1) / stride, config.outputLength(frames), "frames " + frames);
        }
    }

    @ParameterizedTest
    @MethodSource("variants")
    void outputShapeAndMaskMatchOutputLengthForEveryStride(int stride, boolean temporalAttention) {
        TeacherConfig config = config(stride, temporalAttention);
        try (TeacherSession session = TeacherSession.create(config, VOCABULARY, 3);
                NDManager manager = NDManager.newBaseManager(session.djlDevice())) {
            ParameterStore store = new ParameterStore(manager, false);
            for (int frames : new int[] {1, 5, 17, 63, 150}) {
                NDArray features = manager.randomNormal(new Shape(2, frames, FeatureLayout.DIMS));
                int shorter = Math.max(1, frames / 3);
                NDArray mask = Masks.fromLengths(manager, new int[] {frames, shorter}, frames);
                NDList out = session.block().forward(store, new NDList(features, mask), false);
                assertEquals(new Shape(2, config.outputLength(frames), VOCABULARY + 1), out.get(0).getShape(),
                        "T=" + frames);
                int[] valid = Masks.lengths(out.get(1));
                assertEquals(config.outputLength(frames), valid[0], "valid outputs, T=" + frames);
                assertEquals(config.outputLength(shorter), valid[1], "valid outputs, L=" + shorter);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("variants")
    void aSamplesOutputsDoNotDependOnItsBatch(int stride, boolean temporalAttention) {
        try (TeacherSession session = TeacherSession.create(config(stride, temporalAttention), VOCABULARY, 12)) {
            float[] sample = TestBatches.frames(45, 100);
            List<float[][]> alone = session.logProbs(TeacherBatch.pad(List.of(sample), null));
            int maxFrames = 90;
            float[] features = new float[2 * maxFrames * FeatureLayout.DIMS];
            System.arraycopy(sample, 0, features, 0, sample.length);
            java.util.Random random = new java.util.Random(5);
            for (int i = sample.length; i < maxFrames * FeatureLayout.DIMS; i++) {
                features[i] = (float) (random.nextGaussian() * 50); // loud junk in the padding
            }
            float[] neighbour = TestBatches.frames(maxFrames, 101);
            System.arraycopy(neighbour, 0, features, maxFrames * FeatureLayout.DIMS, neighbour.length);
            List<float[][]> inBatch = session.logProbs(new TeacherBatch(features, 2, maxFrames, new int[] {45, 90}, null));
            assertEquals(session.outputLength(45), alone.get(0).length);
            assertEquals(alone.get(0).length, inBatch.get(0).length);
            for (int t = 0; t < alone.get(0).length; t++) {
                assertArrayEquals(alone.get(0)[t], inBatch.get(0)[t], 1e-4f, "frame " + t);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("variants")
    void aStepReachesEveryBlock(int stride, boolean temporalAttention) {
        TeacherBatch batch = TestBatches.batch(new int[] {64, 40}, new int[][] {{1, 2, 2}, {3}}, 4);
        try (TeacherSession session = TeacherSession.create(config(stride, temporalAttention), VOCABULARY, 8)) {
            TeacherSession.GradientProbe probe = session.probeGradients(batch);
            assertEquals(null, probe.skipReason());
            assertTrue(Double.isFinite(probe.loss()) && probe.loss() > 0, "loss " + probe.loss());
            List<String> blocks = temporalAttention
                    ? List.of("fusion", "temporalAttention", "stem", "inception3b", "inception5c", "lstm", "classifier")
                    : List.of("fusion", "stem", "inception3b", "inception5c", "lstm", "classifier");
            for (String block : blocks) {
                Double norm = probe.blockNorms().get(block);
                assertTrue(norm != null && norm > 0 && Double.isFinite(norm), block + " " + probe.blockNorms());
            }
            assertEquals(temporalAttention, probe.blockNorms().containsKey("temporalAttention"));
        }
    }
}
