package io.signstream.teacher.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.signstream.contract.FeatureLayout;
import io.signstream.teacher.TeacherConfig;
import io.signstream.teacher.TeacherSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class I3dTeacherTest {

    private static final int VOCABULARY = 11;
    private static TeacherSession session;

    @BeforeAll
    static void createSession() {
        session = TeacherSession.create(TeacherConfig.small(), VOCABULARY, 7);
    }

    @AfterAll
    static void closeSession() {
        session.close();
    }

    @Test
    void outputTimeDimensionAndMaskMatchOutputLength() {
        try (NDManager manager = NDManager.newBaseManager(session.djlDevice())) {
            ParameterStore store = new ParameterStore(manager, false);
            for (int frames : new int[] {1, 7, 16, 17, 33, 150, 200, 301}) {
                NDArray features = manager.randomNormal(new Shape(2, frames, FeatureLayout.DIMS));
                int shorter = Math.max(1, frames / 3);
                NDArray mask = Masks.fromLengths(manager, new int[] {frames, shorter}, frames);
                NDList out = session.block().forward(store, new NDList(features, mask), false);
                Shape shape = out.get(0).getShape();
                assertEquals(new Shape(2, session.outputLength(frames), VOCABULARY + 1), shape,
                        "T=" + frames);
                int[] valid = Masks.lengths(out.get(1));
                assertEquals(session.outputLength(frames), valid[0], "valid outputs, T=" + frames);
                assertEquals(session.outputLength(shorter), valid[1], "valid outputs, L=" + shorter);
                float[] probabilitySums = out.get(0).exp().sum(new int[] {2}).toFloatArray();
                for (float sum : probabilitySums) {
                    assertEquals(1f, sum, 1e-4f, "log-softmax rows sum to 1 in probability");
                }
            }
        }
    }
}
