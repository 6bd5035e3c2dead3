package io.signstream.teacher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.signstream.contract.FeatureLayout;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SpeedPerturbationTest {

    private static final int D = FeatureLayout.DIMS;

    /** A channel that is a straight line in time stays one (interior frames), at the new frame rate. */
    @Test
    void resamplingALineGivesTheLineAtTheNewRate() {
        int frames = 40;
        float[] x = new float[frames * D];
        for (int t = 0; t < frames; t++) {
            x[t * D] = t;          // channel 0: the frame index
            x[t * D + 7] = 3f;     // a constant channel
        }
        int target = 20; // twice as fast
        float[] y = SpeedPerturbation.resample(x, frames, target);
        assertEquals(target * D, y.length);
        for (int t = 0; t < target; t++) {
            // align_corners=False: output t samples input (t + 0.5) * 2 - 0.5 = 2t + 0.5
            assertEquals(2 * t + 0.5, y[t * D], 1e-4, "frame " + t);
            assertEquals(3f, y[t * D + 7], 1e-6f);
        }
    }

    @Test
    void noneLeavesTheSampleAloneAndFactorsAreChecked() {
        float[] x = new float[5 * D];
        assertSame(x, SpeedPerturbation.none().apply(x, new int[] {1}, TeacherConfig.small(), new Random(1)));
        assertThrows(IllegalArgumentException.class, () -> new SpeedPerturbation(1.2, 1.4));
        assertThrows(IllegalArgumentException.class, () -> new SpeedPerturbation(0, 1));
    }

    @Test
    void lengthsFollowTheFactorAndNeverMakeASampleUnalignable() {
        SpeedPerturbation speed = new SpeedPerturbation(0.7, 1.4);
        TeacherConfig stride4 = TeacherConfig.small().withTemporalStride(4);
        Random random = new Random(3);
        int frames = 100;
        float[] x = new float[frames * D];
        int shortest = Integer.MAX_VALUE;
        int longest = 0;
        for (int i = 0; i < 200; i++) {
            int length = speed.apply(x, new int[] {1, 2}, stride4, random).length / D;
            shortest = Math.min(shortest, length);
            longest = Math.max(longest, length);
        }
        assertTrue(shortest >= Math.round(100 / 1.4) && shortest < 76, "shortest " + shortest);
        assertTrue(longest <= Math.round(100 / 0.7) && longest > 135, "longest " + longest);
        // 12 glosses with two repeats need 14 outputs: at stride 4 that is at least 53 frames, whatever the draw.
        int[] twelve = {1, 2, 2, 3, 4, 5, 6, 6, 7, 8, 9, 10};
        float[] tight = new float[56 * D];
        for (int i = 0; i < 200; i++) {
            int length = speed.apply(tight, twelve, stride4, random).length / D;
            assertTrue(stride4.outputLength(length) >= 14, "length " + length);
        }
    }
}
