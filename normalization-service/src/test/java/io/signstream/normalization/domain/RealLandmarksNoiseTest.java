package io.signstream.normalization.domain;

import io.signstream.featurenormalization.PerChannelZScore;
import io.signstream.featurenormalization.NoiseFloor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.signstream.contract.FeatureLayout;
import io.signstream.landmarks.HolisticLandmarks;
import io.signstream.landmarks.HolisticLayout;
import io.signstream.landmarks.SharedFixtures;
import io.signstream.landmarks.pose.PoseFile;
import io.signstream.landmarks.pose.PoseLandmarks;
import io.signstream.landmarks.pose.PoseReader;
import io.signstream.normalization.benchmark.NoiseChannels;

/**
 * Version 2 on a real MediaPipe Holistic recording (the shared fixture, read in place; see {@link SharedFixtures}
 * for where it is looked for): the channels found here, independently, to have std at float-noise level (the hand wrists' z) come out
 * exactly 0, and every other channel, the slowest included, comes out with std 1.
 */
class RealLandmarksNoiseTest {

    @Test
    void zeroesTheWristZNoiseAndKeepsEveryRealChannel() {
        // Read and derived by the product's own code; the 1629 raw landmark columns are what this test is about.
        PoseFile pose = PoseReader.read(SharedFixtures.read(SharedFixtures.EXAMPLE_POSE));
        HolisticLandmarks landmarks = PoseLandmarks.from(pose);
        List<String> names = new ArrayList<>();
        for (HolisticLayout.Part part : HolisticLayout.PARTS) {
            for (String point : pose.header().component(part.component()).orElseThrow().points()) {
                names.add(part.component() + "/" + point);
            }
        }
        int frames = landmarks.frames();
        int dims = FeatureLayout.RAW_LANDMARK_VALUES;
        float[] values = NoiseChannels.landmarkColumns(landmarks);

        float[] normalized = new PerChannelZScore(NoiseFloor.DEFAULT).apply(values, frames, dims);

        List<String> noise = new ArrayList<>();
        double slowest = Double.MAX_VALUE;
        for (int c = 0; c < dims; c++) {
            float[] in = column(values, frames, dims, c);
            float[] out = column(normalized, frames, dims, c);
            double std = std(in);
            String name = names.get(c / 3) + " " + "xyz".charAt(c % 3);
            if (std < 1e-6) {
                // MediaPipe's float noise (5e-8..7e-7): exactly 0 out
                noise.add(name);
                for (float value : out) {
                    assertEquals(0f, value, name);
                }
            } else {
                slowest = Math.min(slowest, std);
                assertEquals(1.0, std(out), 1e-5, name + " std " + std);
            }
        }
        assertEquals(List.of("LEFT_HAND_LANDMARKS/WRIST z", "RIGHT_HAND_LANDMARKS/WRIST z"), noise);
        assertTrue(slowest > 1e-4 && slowest < 1e-3, "slowest real channel " + slowest);
    }

    private static float[] column(float[] values, int frames, int dims, int c) {
        float[] column = new float[frames];
        for (int t = 0; t < frames; t++) {
            column[t] = values[t * dims + c];
        }
        return column;
    }

    /** Population std in double, two passes: the reference the normalized output is checked against. */
    private static double std(float[] column) {
        double mean = 0;
        for (float value : column) {
            mean += value;
        }
        mean /= column.length;
        double squares = 0;
        for (float value : column) {
            squares += (value - mean) * (value - mean);
        }
        return Math.sqrt(squares / column.length);
    }
}
