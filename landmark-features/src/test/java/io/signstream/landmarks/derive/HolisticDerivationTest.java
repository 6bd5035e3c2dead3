package io.signstream.landmarks.derive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.signstream.contract.FeatureLayout;
import io.signstream.contract.RejectionReason;
import io.signstream.contract.SampleRejectedException;
import io.signstream.contract.proto.FeatureDerivation;
import io.signstream.landmarks.HolisticLandmarks;
import io.signstream.landmarks.HolisticLayout;
import io.signstream.landmarks.SharedFixtures;
import io.signstream.landmarks.pose.PoseLandmarks;
import io.signstream.landmarks.pose.PoseReader;

class HolisticDerivationTest {

    private static final int D = FeatureLayout.DIMS;
    private static final int RAW = FeatureLayout.RAW_LANDMARK_VALUES;
    /** Columns of x of a layout point. */
    private static final int NOSE = 0;
    private static final int LEFT_WRIST = 3 * HolisticLayout.LEFT_HAND_FIRST;
    private static final int RIGHT_INDEX_TIP = 3 * (HolisticLayout.RIGHT_HAND_FIRST + 8);
    private static final int FACE_1 = 3 * (HolisticLayout.FACE_FIRST + 1);

    private static float[] fixture() {
        return HolisticDerivation.derive(PoseLandmarks.from(PoseReader.read(
                SharedFixtures.read(SharedFixtures.EXAMPLE_POSE))));
    }

    @Test
    void theRealRecordingGivesTheHandCheckedValues() {
        float[] f = fixture();
        assertEquals(97 * D, f.length);
        // Expected values computed separately with numpy from the file: pixels / (320, 240), z as stored.
        // frame 0 NOSE (162.82692, 63.49268, -0.91396254) px
        assertEquals(0.5088341f, f[NOSE], 1e-7f);
        assertEquals(0.26455283f, f[NOSE + 1], 1e-7f);
        assertEquals(-0.91396254f, f[NOSE + 2]);
        // frame 17 left wrist (223.98395, 189.44897, 1.2228935e-07) px, the hand's first detected frame
        assertEquals(0.69994986f, f[17 * D + LEFT_WRIST], 1e-7f);
        assertEquals(0.78937072f, f[17 * D + LEFT_WRIST + 1], 1e-7f);
        assertEquals(1.2228935e-07f, f[17 * D + LEFT_WRIST + 2]);
        // frame 10 face point 1 (165.98067, 66.873734, -0.033671305) px
        assertEquals(0.5186896f, f[10 * D + FACE_1], 1e-7f);
        assertEquals(0.27864057f, f[10 * D + FACE_1 + 1], 1e-7f);
        assertEquals(-0.033671305f, f[10 * D + FACE_1 + 2]);
        // frame 1 nose velocity = frame 1 - frame 0
        assertEquals(6.7949295e-06f, f[D + RAW + NOSE], 1e-9f);
        assertEquals(0.12762815f, f[D + RAW + NOSE + 2], 1e-7f);
        // the hand appears in frame 17: its velocity jumps from 0, as the documented backward difference says
        assertEquals(f[17 * D + LEFT_WRIST], f[17 * D + RAW + LEFT_WRIST]);
    }

    @Test
    void missingHandsAreExactZerosAndNothingIsNaN() {
        float[] f = fixture();
        int leftMissing = 0;
        int rightMissing = 0;
        for (int t = 0; t < 97; t++) {
            leftMissing += allZero(f, t * D + LEFT_WRIST, 63) ? 1 : 0;
            rightMissing += allZero(f, t * D + 3 * HolisticLayout.RIGHT_HAND_FIRST, 63) ? 1 : 0;
        }
        // the recording's confidence says: left hand absent in 52 frames, right hand in 53 (0..16 among them)
        assertEquals(52, leftMissing);
        assertEquals(53, rightMissing);
        assertTrue(allZero(f, 16 * D + LEFT_WRIST, 126), "frame 16 has neither hand");
        for (int i = 0; i < f.length; i++) {
            assertTrue(Float.isFinite(f[i]), "value " + i + " is " + f[i]);
        }
    }

    @Test
    void confidenceZeroAndNaNMeanMissingAndAnythingElseIsKept() {
        float[] xyz = new float[2 * HolisticLayout.POINTS * 3];
        float[] confidence = new float[2 * HolisticLayout.POINTS];
        java.util.Arrays.fill(xyz, 0.5f);
        java.util.Arrays.fill(confidence, 1e-4f);
        confidence[0] = 0f; // frame 0 nose: not detected
        xyz[3 * 1 + 2] = Float.NaN; // frame 0 point 1: an export's NaN
        float[] f = HolisticDerivation.derive(new HolisticLandmarks(2, xyz, confidence, 1f, 1f, "test", Map.of()));
        assertTrue(allZero(f, 0, 6), "points 0 and 1 of frame 0 are (0, 0, 0)");
        assertEquals(0.5f, f[6], "a confidence of 1e-4 keeps the point");
        assertEquals(0.5f, f[RAW + D], "frame 1 nose velocity: 0.5 - 0");
    }

    @Test
    void anInfiniteCoordinateOfAKeptPointIsRefused() {
        float[] xyz = new float[HolisticLayout.POINTS * 3];
        xyz[3 * HolisticLayout.FACE_FIRST] = Float.POSITIVE_INFINITY;
        SampleRejectedException e = assertThrows(SampleRejectedException.class, () -> HolisticDerivation.derive(
                new HolisticLandmarks(1, xyz, null, 1f, 1f, "test", Map.of())));
        assertEquals(RejectionReason.NON_FINITE, e.reason());
        assertTrue(e.detail().contains("FACE_LANDMARKS"), e.detail());
    }

    @Test
    void theStampNamesMethodVersionAndInput() {
        FeatureDerivation stamp = HolisticDerivation.stamp(PoseLandmarks.from(PoseReader.read(
                SharedFixtures.read(SharedFixtures.EXAMPLE_POSE))));
        assertEquals("holistic-landmarks", stamp.getMethod());
        assertEquals(1, stamp.getMethodVersion());
        assertEquals(Map.of("input", "pose-format 0.2", "frame_width", "320", "frame_height", "240",
                "confidence", "zero-means-missing", "fps", "25.0"), stamp.getParametersMap());
    }

    private static boolean allZero(float[] values, int from, int count) {
        for (int i = from; i < from + count; i++) {
            if (Float.floatToRawIntBits(values[i]) != 0) {
                return false; // -0.0 would not be an exact zero either
            }
        }
        return true;
    }
}
