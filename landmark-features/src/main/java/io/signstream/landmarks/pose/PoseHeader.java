package io.signstream.landmarks.pose;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A pose-format header: file version, the video's width, height and depth (the unit of pixel coordinates), and the
 * components in file order.
 */
public record PoseHeader(float version, int width, int height, int depth, List<PoseComponent> components) {

    public PoseHeader {
        components = List.copyOf(components);
    }

    /** Points of all components together: the body stores them side by side in this order. */
    public int totalPoints() {
        return components.stream().mapToInt(c -> c.points().size()).sum();
    }

    /** Values per point in the body, without the confidence: the longest format minus its {@code C}. */
    public int dims() {
        return components.stream().mapToInt(c -> c.format().length()).max().orElse(1) - 1;
    }

    /** Index of the first point of the component called {@code name} among all points, if there is one. */
    public OptionalInt firstPointOf(String name) {
        int first = 0;
        for (PoseComponent component : components) {
            if (component.name().equals(name)) {
                return OptionalInt.of(first);
            }
            first += component.points().size();
        }
        return OptionalInt.empty();
    }

    /** The component called {@code name}, if there is one (components are found by name, never by position). */
    public Optional<PoseComponent> component(String name) {
        return components.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** The format version as the upstream reader compares it (0.1 or 0.2; stored as a float32). */
    public String versionText() {
        return String.format(java.util.Locale.ROOT, "%.1f", version);
    }
}
