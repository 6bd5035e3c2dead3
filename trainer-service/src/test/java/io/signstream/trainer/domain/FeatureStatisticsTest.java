package io.signstream.trainer.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.signstream.contract.FeatureLayout;
import io.signstream.contract.Modality;
import io.signstream.teacher.TeacherBatch;

class FeatureStatisticsTest {

    @Test
    void countsOnlyValidFramesAndMatchesAHandComputation() {
        int d = FeatureLayout.DIMS;
        float[] first = new float[2 * d];   // 2 frames: pose column 0 holds 1 and 3, everything else 0
        first[0] = 1;
        first[d] = 3;
        float[] second = new float[d];      // 1 frame, padded to 2 in the batch: the padding must not count
        second[Modality.HANDS.start()] = -2;
        TeacherBatch batch = TeacherBatch.pad(List.of(first, second), null);
        batch.features()[(1 * 2 + 1) * d] = 1000; // in the padding frame of sample 2

        FeatureStatistics all = FeatureStatistics.of(batch);
        assertEquals(3L * d, all.values());
        assertEquals((1 + 3 - 2) / (3.0 * d), all.mean(), 1e-12);
        double mean = 2.0 / (3 * d);
        double squares = Math.pow(1 - mean, 2) + Math.pow(3 - mean, 2) + Math.pow(-2 - mean, 2) + (3.0 * d - 3) * mean * mean;
        assertEquals(Math.sqrt(squares / (3.0 * d)), all.std(), 1e-12);
        assertEquals(-2, all.min());
        assertEquals(3, all.max());

        FeatureStatistics pose = FeatureStatistics.of(batch, Modality.POSE);
        assertEquals(3L * 99, pose.values());
        assertEquals(4.0 / (3 * 99), pose.mean(), 1e-12);
        assertEquals(0, FeatureStatistics.of(batch, Modality.FACE).max());
    }
}
