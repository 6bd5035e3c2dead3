package io.signstream.teacher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigAndScheduleTest {

    @Test
    void configRoundTripsThroughJson() {
        for (TeacherConfig config : List.of(TeacherConfig.defaults(), TeacherConfig.small())) {
            assertEquals(config, TeacherConfig.fromJson(config.toJson()));
        }
        assertThrows(IllegalArgumentException.class, () -> TeacherConfig.fromJson("{nope".getBytes()));
        assertThrows(IllegalArgumentException.class, () -> TeacherConfig.small().withLstm(0, 1));
    }

    @Test
    void defaultsAreTheResearchSettings() {
        TeacherConfig config = TeacherConfig.defaults();
        assertEquals(512, config.fusionHidden());
        assertEquals(64, config.stemChannels());
        assertEquals(1.0f, config.clipNorm());
        assertEquals(5e-4f, config.learningRate());
        // hands > face > pose > temporal
        assertEquals(true, config.handsEncoderWidth() > config.faceEncoderWidth()
                && config.faceEncoderWidth() > config.poseEncoderWidth()
                && config.poseEncoderWidth() > config.temporalEncoderWidth());
    }

    @Test
    void warmupThenCosine() {
        LearningRateSchedule schedule = new LearningRateSchedule(1e-3f, 10, 110);
        assertEquals(1e-4f, schedule.at(0), 1e-9f);
        assertEquals(5e-4f, schedule.at(4), 1e-9f);
        assertEquals(1e-3f, schedule.at(9), 1e-9f);
        assertEquals(1e-3f, schedule.at(10), 1e-9f);
        // halfway through the decay: cos(pi/2) = 0 -> half the peak
        assertEquals(5e-4f, schedule.at(60), 1e-9f);
        assertEquals(1e-3f * 0.5f * (1 + (float) Math.cos(Math.PI * 0.25)), schedule.at(35), 1e-9f);
        assertEquals(0f, schedule.at(110));
        assertEquals(0f, schedule.at(500));
        assertThrows(IllegalArgumentException.class, () -> new LearningRateSchedule(1e-3f, 20, 10));
    }

    @Test
    void batchPaddingAndValidation() {
        TeacherBatch batch = TestBatches.batch(new int[] {3, 5}, new int[][] {{1}, {2, 3}}, 1);
        assertEquals(5, batch.maxFrames());
        assertEquals(0f, batch.features()[3 * io.signstream.contract.FeatureLayout.DIMS]);
        assertThrows(IllegalArgumentException.class,
                () -> new TeacherBatch(batch.features(), 2, 5, new int[] {6, 5}, null));
        assertThrows(IllegalArgumentException.class,
                () -> new TeacherBatch(batch.features(), 2, 5, new int[] {3, 5}, new int[][] {{0}, {1}}));
    }
}
