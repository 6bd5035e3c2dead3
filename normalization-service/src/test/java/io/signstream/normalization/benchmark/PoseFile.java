package io.signstream.normalization.benchmark;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal reader of the pose-format binary file (github.com/sign-language-processing/pose, {@code pose_header.py}
 * and {@code pose_body.py}), enough for the noise measurement: little-endian throughout,
 * <pre>
 * header: version float32; width, height, depth uint16; component count uint16; per component:
 *         name str, format str (e.g. "XYZC"), points, limbs, colors uint16; point names str x points;
 *         limbs (uint16, uint16) x limbs; colors (uint16 r, g, b) x colors      (str = uint16 length + UTF-8 bytes)
 * body:   v0.1: fps uint16, frames uint16; v0.2: fps float32, frames uint32; then people uint16;
 *         data float32 [frames][people][points][dims]; confidence float32 [frames][people][points]
 * </pre>
 * where points is the sum over components and dims = len(format) - 1 (the last letter is the confidence).
 * The frame count is taken from the bytes left, as pose-format does. Test code only; not part of the service.
 */
public record PoseFile(float version, int width, int height, int depth, List<Component> components, float fps,
        int frames, int people, int dims, float[] data, float[] confidence) {

    /** One component (e.g. LEFT_HAND_LANDMARKS) and its first point's index in the frame. */
    public record Component(String name, String format, List<String> points, int firstPoint) {
    }

    public int points() {
        return components.stream().mapToInt(c -> c.points().size()).sum();
    }

    public Component component(String name) {
        return components.stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no component " + name));
    }

    /** Coordinate {@code dim} of point {@code point} of person {@code person} in frame {@code frame}. */
    public float value(int frame, int person, int point, int dim) {
        return data[((frame * people + person) * points() + point) * dims + dim];
    }

    public float confidence(int frame, int person, int point) {
        return confidence[(frame * people + person) * points() + point];
    }

    public static PoseFile read(Path path) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(path)).order(ByteOrder.LITTLE_ENDIAN);
        float version = in.getFloat();
        int width = Short.toUnsignedInt(in.getShort());
        int height = Short.toUnsignedInt(in.getShort());
        int depth = Short.toUnsignedInt(in.getShort());
        int count = Short.toUnsignedInt(in.getShort());
        List<Component> components = new ArrayList<>(count);
        int first = 0;
        int dims = 0;
        for (int i = 0; i < count; i++) {
            String name = string(in);
            String format = string(in);
            int points = Short.toUnsignedInt(in.getShort());
            int limbs = Short.toUnsignedInt(in.getShort());
            int colors = Short.toUnsignedInt(in.getShort());
            List<String> names = new ArrayList<>(points);
            for (int p = 0; p < points; p++) {
                names.add(string(in));
            }
            in.position(in.position() + limbs * 4 + colors * 6);
            components.add(new Component(name, format, List.copyOf(names), first));
            first += points;
            dims = Math.max(dims, format.length() - 1);
        }
        float fps;
        if (Math.abs(version - 0.1f) < 1e-6) {
            fps = Short.toUnsignedInt(in.getShort());
            in.getShort(); // frames as uint16: unreliable, taken from the bytes left instead
        } else if (Math.abs(version - 0.2f) < 1e-6) {
            fps = in.getFloat();
            in.getInt();
        } else {
            throw new IOException("pose-format version " + version + " is not supported (0.1, 0.2)");
        }
        int people = Short.toUnsignedInt(in.getShort());
        int perFrame = people * first * (dims + 1) * 4;
        if (perFrame == 0 || in.remaining() % perFrame != 0) {
            throw new IOException(in.remaining() + " body bytes are not whole frames of " + perFrame + " bytes");
        }
        int frames = in.remaining() / perFrame;
        float[] data = new float[frames * people * first * dims];
        in.asFloatBuffer().get(data);
        in.position(in.position() + data.length * 4);
        float[] confidence = new float[frames * people * first];
        in.asFloatBuffer().get(confidence);
        return new PoseFile(version, width, height, depth, List.copyOf(components), fps, frames, people, dims, data,
                confidence);
    }

    private static String string(ByteBuffer in) {
        byte[] bytes = new byte[Short.toUnsignedInt(in.getShort())];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
