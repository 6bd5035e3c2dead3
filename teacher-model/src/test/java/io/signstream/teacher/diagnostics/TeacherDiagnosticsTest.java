package io.signstream.teacher.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.signstream.contract.FeatureLayout;
import io.signstream.contract.Modality;
import io.signstream.teacher.TeacherBatch;
import io.signstream.teacher.TeacherConfig;
import io.signstream.teacher.TeacherSession;
import io.signstream.teacher.TestBatches;
import org.junit.jupiter.api.Test;

class TeacherDiagnosticsTest {

    @Test
    void featureStatisticsIgnorePaddingAndSeparateModalities() {
        int frames = 2;
        float[] features = new float[2 * frames * FeatureLayout.DIMS];
        // sample 0, frame 0: pose = 1, hands = 3; frame 1 (valid): pose = -1, hands = 3. Sample 1 has one valid frame
        // of zeros and one padded frame of 1000s, which must not count.
        for (int t = 0; t < 2; t++) {
            int row = t * FeatureLayout.DIMS;
            java.util.Arrays.fill(features, row + Modality.POSE.start(), row + Modality.POSE.end(), t == 0 ? 1f : -1f);
            java.util.Arrays.fill(features, row + Modality.HANDS.start(), row + Modality.HANDS.end(), 3f);
        }
        java.util.Arrays.fill(features, 3 * FeatureLayout.DIMS, 4 * FeatureLayout.DIMS, 1000f);
        TeacherBatch batch = new TeacherBatch(features, 2, frames, new int[] {2, 1}, null);
        TeacherDiagnostics.FeatureStatistics stats = TeacherDiagnostics.featureStatistics(batch);
        assertEquals(3, stats.validFrames());
        TeacherDiagnostics.ColumnStatistics pose = stats.modalities().get(0);
        assertEquals("pose", pose.name());
        assertEquals(3 * 99, pose.values());
        assertEquals(0.0, pose.mean(), 1e-12);           // (99 - 99 + 0) / 297
        assertEquals(Math.sqrt(2.0 / 3), pose.std(), 1e-9); // values 1, -1, 0 in equal numbers
        assertEquals(-1.0, pose.min());
        assertEquals(1.0, pose.max());
        TeacherDiagnostics.ColumnStatistics hands = stats.modalities().get(1);
        assertEquals(2.0, hands.mean(), 1e-12);
        assertEquals(1.0 / 3, hands.zeroFraction(), 1e-12);
        assertEquals(1000f > stats.overall().max() ? 1 : 0, 1, "padding excluded");
    }

    @Test
    void fullReportOnTheSmallModel() {
        TeacherBatch batch = TestBatches.batch(new int[] {64, 48, 80}, new int[][] {{1, 2}, {3}, {4, 4, 5}}, 2);
        try (TeacherSession session = TeacherSession.create(TeacherConfig.small(), 6, 3)) {
            TeacherDiagnostics.Report report = TeacherDiagnostics.run(session, batch);
            assertTrue(report.forward().finite());
            int s = session.config().temporalStride();
            assertEquals((64 + s - 1) / s + (48 + s - 1) / s + (80 + s - 1) / s, report.forward().outputFrames());
            assertTrue(report.forward().maxLogProb() <= 0);
            assertNull(report.gradients().skipReason());
            assertTrue(report.gradients().blockNorms().keySet().containsAll(
                    java.util.List.of("fusion", "stem", "inception3b", "inception5c", "lstm", "classifier")),
                    report.gradients().blockNorms().toString());
            assertTrue(report.gradients().vanishing().isEmpty(), report.gradients().toString());
            assertEquals(java.util.List.of(1, 2, 4),
                    report.batchSizes().points().stream().map(TeacherDiagnostics.BatchSizePoint::batchSize).toList());
            // B=1 is the first sample; B=4 cycles (samples 0, 1, 2, 0): its mean loss differs from B=1's.
            report.batchSizes().points().forEach(p -> assertTrue(Double.isFinite(p.loss()) && p.gradNorm() > 0));
            assertEquals(4, report.modalities().size());
            for (TeacherDiagnostics.ModalityForward m : report.modalities()) {
                assertTrue(m.stability().finite(), m.modality());
                assertTrue(m.meanAbsLogProbChange() > 0, "zeroing the other modalities changes the output");
                assertTrue(m.gate() > 0 && m.gate() < 1);
            }
            // Diagnostics never train: a second report's loss is the same.
            assertEquals(report.gradients().loss(), TeacherDiagnostics.gradientFlow(session, batch).loss(), 1e-12);
        }
    }
}
