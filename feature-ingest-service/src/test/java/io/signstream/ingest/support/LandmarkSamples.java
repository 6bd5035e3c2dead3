package io.signstream.ingest.support;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.signstream.contract.npy.Npy;
import io.signstream.contract.npy.NpyArray;
import io.signstream.landmarks.HolisticLayout;
import io.signstream.landmarks.SharedFixtures;
import io.signstream.landmarks.pose.PoseComponent;
import io.signstream.landmarks.pose.PoseFiles;

/** Landmark files for the ingest tests: the real recording, arrays with known values, broken pose files. */
public final class LandmarkSamples {

    private LandmarkSamples() {
    }

    /** shared/fixtures/pose/example.pose: 97 frames, 320 x 240, hands missing in about half of the frames. */
    public static byte[] examplePose() {
        return SharedFixtures.read(SharedFixtures.EXAMPLE_POSE);
    }

    /**
     * [frames, 543, 4]: point p of frame t at (0.001 p, 0.5 + 0.01 t, -0.1), visibility 0.9, except the right hand
     * (not detected: visibility 0, coordinates left at 0.7 to show they are zeroed by the confidence alone).
     */
    public static byte[] npyWithoutRightHand(int frames) {
        float[] values = new float[frames * HolisticLayout.POINTS * 4];
        for (int t = 0; t < frames; t++) {
            for (int p = 0; p < HolisticLayout.POINTS; p++) {
                int at = 4 * (t * HolisticLayout.POINTS + p);
                boolean rightHand = p >= HolisticLayout.RIGHT_HAND_FIRST && p < HolisticLayout.FACE_FIRST;
                values[at] = rightHand ? 0.7f : 0.001f * p;
                values[at + 1] = rightHand ? 0.7f : 0.5f + 0.01f * t;
                values[at + 2] = rightHand ? 0.7f : -0.1f;
                values[at + 3] = rightHand ? 0f : 0.9f;
            }
        }
        return Npy.toBytes(new NpyArray(new int[] {frames, HolisticLayout.POINTS, 4}, values));
    }

    /** [frames, 543, 3] under the .npz key {@code landmarks}, every value 0.25. */
    public static byte[] npzLandmarks(int frames) {
        float[] values = new float[frames * HolisticLayout.POINTS * 3];
        Arrays.fill(values, 0.25f);
        return Npy.toNpz(Map.of("landmarks", new NpyArray(new int[] {frames, HolisticLayout.POINTS, 3}, values)));
    }

    public static byte[] severalPeople() {
        return PoseFiles.bytes(PoseFiles.holisticComponents(), 2, 2);
    }

    public static byte[] truncated() {
        byte[] whole = PoseFiles.holistic(2);
        return Arrays.copyOf(whole, whole.length - 100);
    }

    public static byte[] trailingBytes() {
        byte[] whole = PoseFiles.holistic(2);
        return Arrays.copyOf(whole, whole.length + 12);
    }

    public static byte[] withoutLeftHand() {
        return PoseFiles.bytes(PoseFiles.holisticComponents().stream()
                .filter(c -> !c.name().equals("LEFT_HAND_LANDMARKS")).toList(), 2, 1);
    }

    public static byte[] refinedFace() {
        List<PoseComponent> components = new java.util.ArrayList<>(PoseFiles.holisticComponents());
        components.set(1, PoseFiles.component("FACE_LANDMARKS", 478));
        return PoseFiles.bytes(components, 2, 1);
    }

    /** Broken landmark files and the reason each must be refused with. */
    public static Map<String, byte[]> brokenByReason() {
        return Map.of("SEVERAL_PEOPLE", severalPeople(), "TRUNCATED_FILE", truncated(),
                "HEADER_BODY_MISMATCH", trailingBytes(), "MISSING_COMPONENT", withoutLeftHand(),
                "WRONG_POINT_COUNT", refinedFace());
    }
}
