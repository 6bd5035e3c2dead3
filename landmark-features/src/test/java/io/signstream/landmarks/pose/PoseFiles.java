package io.signstream.landmarks.pose;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import io.signstream.landmarks.HolisticLayout;

/**
 * Builds small Holistic pose-format files with known values, for the edge cases a real recording lacks. Point
 * {@code i} of component {@code c} in frame {@code t} of person {@code p} has x = 10 t + i, y = 100 + c + p,
 * z = i / 1000 and confidence 1, unless a component is listed as missing (confidence 0, coordinates 0).
 */
public final class PoseFiles {

    public static final int WIDTH = 320;
    public static final int HEIGHT = 240;

    private PoseFiles() {
    }

    /** The four Holistic components plus POSE_WORLD_LANDMARKS, in the order MediaPipe's exporter writes them. */
    public static List<PoseComponent> holisticComponents() {
        return List.of(component("POSE_LANDMARKS", HolisticLayout.POSE_POINTS),
                component("FACE_LANDMARKS", HolisticLayout.FACE_POINTS),
                component("LEFT_HAND_LANDMARKS", HolisticLayout.HAND_POINTS),
                component("RIGHT_HAND_LANDMARKS", HolisticLayout.HAND_POINTS),
                component("POSE_WORLD_LANDMARKS", HolisticLayout.POSE_POINTS));
    }

    public static PoseComponent component(String name, int points) {
        return PoseComponent.of(name, "XYZC", IntStream.range(0, points).mapToObj(Integer::toString).toList());
    }

    public static PoseFile file(List<PoseComponent> components, int frames, int people, List<String> missing) {
        PoseHeader header = new PoseHeader(0.2f, WIDTH, HEIGHT, 0, components);
        int points = header.totalPoints();
        float[] data = new float[frames * people * points * 3];
        float[] confidence = new float[frames * people * points];
        for (int t = 0; t < frames; t++) {
            for (int p = 0; p < people; p++) {
                int point = 0;
                for (int c = 0; c < components.size(); c++) {
                    PoseComponent component = components.get(c);
                    boolean absent = missing.contains(component.name());
                    for (int i = 0; i < component.points().size(); i++, point++) {
                        int at = (t * people + p) * points + point;
                        if (absent) {
                            continue;
                        }
                        data[3 * at] = 10 * t + i;
                        data[3 * at + 1] = 100 + c + p;
                        data[3 * at + 2] = i / 1000f;
                        confidence[at] = 1f;
                    }
                }
            }
        }
        return new PoseFile(header, new PoseBody(25f, frames, people, points, 3, data, confidence));
    }

    public static byte[] bytes(List<PoseComponent> components, int frames, int people, String... missing) {
        return PoseWriter.write(file(components, frames, people, List.of(missing)));
    }

    public static byte[] holistic(int frames, String... missing) {
        return bytes(holisticComponents(), frames, 1, missing);
    }

    /** The components in another order, to show they are found by name. */
    public static List<PoseComponent> shuffled() {
        List<PoseComponent> components = new ArrayList<>(holisticComponents());
        java.util.Collections.reverse(components);
        return components;
    }
}
