package io.signstream.normalization.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Reads the shared real recording in place (skipped where the fixture is not mounted). */
class PoseFileTest {

    static final Path EXAMPLE = Path.of(System.getProperty("noise.pose", "/work/shared/fixtures/pose/example.pose"));

    @Test
    void readsTheHolisticExample() throws Exception {
        assumeTrue(Files.isRegularFile(EXAMPLE), "no fixture at " + EXAMPLE);

        PoseFile pose = PoseFile.read(EXAMPLE);

        assertEquals(0.2f, pose.version(), 1e-6f);
        assertEquals(320, pose.width());
        assertEquals(240, pose.height());
        assertEquals(25f, pose.fps());
        assertEquals(97, pose.frames());
        assertEquals(1, pose.people());
        assertEquals(3, pose.dims());
        assertEquals(List.of("POSE_LANDMARKS", "FACE_LANDMARKS", "LEFT_HAND_LANDMARKS", "RIGHT_HAND_LANDMARKS",
                "POSE_WORLD_LANDMARKS"), pose.components().stream().map(PoseFile.Component::name).toList());
        assertEquals(576, pose.points());
        PoseFile.Component left = pose.component("LEFT_HAND_LANDMARKS");
        assertEquals("WRIST", left.points().get(0));
        assertEquals(501, left.firstPoint());
        // the body is whole: coordinates in the image (pixels), confidences in [0, 1], hands missing in some frames
        int present = 0;
        for (int t = 0; t < pose.frames(); t++) {
            float x = pose.value(t, 0, 0, 0);
            assertTrue(x > 0 && x < 320, "nose x " + x);
            float confidence = pose.confidence(t, 0, left.firstPoint());
            assertTrue(confidence >= 0 && confidence <= 1, "confidence " + confidence);
            present += confidence > 0 ? 1 : 0;
        }
        assertEquals(45, present);
    }
}
