package io.signstream.landmarks;

import java.util.List;

import io.signstream.contract.FeatureLayout;

/**
 * The 543 MediaPipe Holistic landmarks in the order of the feature layout: pose 33, left hand 21, right hand 21,
 * face 468 (the raw columns 0..1628 are these points x (x, y, z)).
 */
public final class HolisticLayout {

    public static final int POSE_POINTS = 33;
    public static final int HAND_POINTS = 21;
    public static final int FACE_POINTS = 468;
    public static final int POINTS = POSE_POINTS + 2 * HAND_POINTS + FACE_POINTS;

    public static final int POSE_FIRST = 0;
    public static final int LEFT_HAND_FIRST = POSE_FIRST + POSE_POINTS;
    public static final int RIGHT_HAND_FIRST = LEFT_HAND_FIRST + HAND_POINTS;
    public static final int FACE_FIRST = RIGHT_HAND_FIRST + HAND_POINTS;

    /** One block of points: its pose-format component name, its first point in the layout and its size. */
    public record Part(String component, int first, int points) {
    }

    /** In layout order; the names are those MediaPipe Holistic's pose-format components carry. */
    public static final List<Part> PARTS = List.of(
            new Part("POSE_LANDMARKS", POSE_FIRST, POSE_POINTS),
            new Part("LEFT_HAND_LANDMARKS", LEFT_HAND_FIRST, HAND_POINTS),
            new Part("RIGHT_HAND_LANDMARKS", RIGHT_HAND_FIRST, HAND_POINTS),
            new Part("FACE_LANDMARKS", FACE_FIRST, FACE_POINTS));

    static {
        if (3 * POINTS != FeatureLayout.RAW_LANDMARK_VALUES) {
            throw new AssertionError("543 x 3 must equal the layout's raw columns");
        }
    }

    private HolisticLayout() {
    }
}
