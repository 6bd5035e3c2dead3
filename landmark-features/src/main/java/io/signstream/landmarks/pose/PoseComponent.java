package io.signstream.landmarks.pose;

import java.util.List;

/**
 * One component of a pose-format header, e.g. {@code POSE_LANDMARKS} with format {@code XYZC}.
 *
 * @param format one letter per value of a point, the last being the confidence ({@code C})
 * @param limbs pairs of point indexes, flattened (kept so a file can be written back whole)
 * @param colors RGB triples, flattened
 */
public record PoseComponent(String name, String format, List<String> points, int[] limbs, int[] colors) {

    public PoseComponent {
        points = List.copyOf(points);
        if (limbs.length % 2 != 0 || colors.length % 3 != 0) {
            throw new IllegalArgumentException("limbs come in pairs and colors in triples");
        }
    }

    /** A component without limbs or colors, e.g. for files written by tests. */
    public static PoseComponent of(String name, String format, List<String> points) {
        return new PoseComponent(name, format, points, new int[0], new int[0]);
    }
}
