package io.signstream.teacher.diagnostics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.signstream.teacher.TeacherBatch;
import io.signstream.teacher.TeacherConfig;
import io.signstream.teacher.TeacherSession;
import io.signstream.teacher.TestBatches;
import org.junit.jupiter.api.Test;

class OverfitCheckTest {

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {1, 4, 16})
    void smallModelMemorizesOneBatchToZeroWer(int stride) {
        int[][] targets = {{1, 2, 3}, {4, 5}, {6, 2, 7, 1}};
        TeacherBatch batch = TestBatches.batch(new int[] {96, 80, 112}, targets, 42);
        try (TeacherSession session = TeacherSession.create(TeacherConfig.small().withTemporalStride(stride), 8, 42)) {
            double before = OverfitCheck.wer(session, batch);
            OverfitCheck.Result result = OverfitCheck.run(session, batch, 300, 3e-3f);
            assertTrue(before > 0, "an untrained model does not already decode the targets");
            assertTrue(result.reachedZero(), result.toString());
            assertEquals(0.0, result.finalWer());
            for (int b = 0; b < targets.length; b++) {
                assertArrayEquals(targets[b], result.hypotheses().get(b), "greedy decoding of sample " + b);
            }
            assertTrue(result.finalLoss() < 1.0, result.toString());
            assertEquals(0, result.skippedSteps(), result.toString());
        }
    }
}
