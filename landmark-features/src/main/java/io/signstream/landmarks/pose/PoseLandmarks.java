package io.signstream.landmarks.pose;

import java.util.Map;
import java.util.OptionalInt;

import io.signstream.contract.RejectionReason;
import io.signstream.landmarks.HolisticLandmarks;
import io.signstream.landmarks.HolisticLayout;

/**
 * The Holistic landmarks of a pose-format file: the four components are found by name, wherever they are in the
 * file; others (POSE_WORLD_LANDMARKS, ...) are ignored. The file's pixel coordinates are left as they are: the
 * derivation divides by the header's width and height.
 */
public final class PoseLandmarks {

    private PoseLandmarks() {
    }

    public static HolisticLandmarks from(PoseFile file) {
        PoseHeader header = file.header();
        PoseBody body = file.body();
        if (body.people() > 1) {
            throw new PoseFormatException(RejectionReason.SEVERAL_PEOPLE, "the .pose file has " + body.people()
                    + " people per frame; a sample is one signer: keep one person (pose-format: pose.body = "
                    + "pose.body[:, :1]) before uploading");
        }
        if (body.people() == 0 || body.frames() == 0) {
            throw new PoseFormatException(RejectionReason.NO_FRAMES, "the .pose file has " + body.frames()
                    + " frames of " + body.people() + " people: there is nothing to derive features from");
        }
        if (header.width() == 0 || header.height() == 0) {
            throw new PoseFormatException(RejectionReason.UNSUPPORTED_FORMAT, "the .pose header's frame size is "
                    + header.width() + " x " + header.height() + ": pixel coordinates cannot be normalized by it");
        }
        int[] firsts = new int[HolisticLayout.PARTS.size()];
        for (int i = 0; i < firsts.length; i++) {
            firsts[i] = locate(header, HolisticLayout.PARTS.get(i));
        }
        int frames = body.frames();
        float[] xyz = new float[frames * HolisticLayout.POINTS * 3];
        float[] confidence = new float[frames * HolisticLayout.POINTS];
        for (int t = 0; t < frames; t++) {
            for (int i = 0; i < firsts.length; i++) {
                HolisticLayout.Part part = HolisticLayout.PARTS.get(i);
                for (int p = 0; p < part.points(); p++) {
                    int to = t * HolisticLayout.POINTS + part.first() + p;
                    int from = firsts[i] + p;
                    for (int d = 0; d < 3; d++) {
                        xyz[3 * to + d] = body.value(t, 0, from, d);
                    }
                    confidence[to] = body.confidence(t, 0, from);
                }
            }
        }
        return new HolisticLandmarks(frames, xyz, confidence, header.width(), header.height(),
                "pose-format " + header.versionText(), Map.of("fps", Float.toString(body.fps())));
    }

    private static int locate(PoseHeader header, HolisticLayout.Part part) {
        OptionalInt first = header.firstPointOf(part.component());
        PoseComponent component = header.components().stream().filter(c -> c.name().equals(part.component()))
                .findFirst().orElse(null);
        if (first.isEmpty() || component == null) {
            throw new PoseFormatException(RejectionReason.MISSING_COMPONENT, "the .pose file has no "
                    + part.component() + " component (it has " + header.components().stream()
                            .map(PoseComponent::name).toList()
                    + "); MediaPipe Holistic files have POSE_LANDMARKS, FACE_LANDMARKS, LEFT_HAND_LANDMARKS and "
                    + "RIGHT_HAND_LANDMARKS");
        }
        if (component.points().size() != part.points()) {
            throw new PoseFormatException(RejectionReason.WRONG_POINT_COUNT, "component " + part.component()
                    + " has " + component.points().size() + " points, MediaPipe Holistic has " + part.points()
                    + (part.points() == HolisticLayout.FACE_POINTS
                            ? " (a refined face mesh has 478: record without refine_face_landmarks)" : ""));
        }
        if (!component.format().startsWith("XYZ")) {
            throw new PoseFormatException(RejectionReason.UNSUPPORTED_FORMAT, "component " + part.component()
                    + " has point format '" + component.format() + "': the features need X, Y and Z (e.g. XYZC)");
        }
        return first.getAsInt();
    }
}
