package io.signstream.landmarks.pose;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Writes the pose-format binary that {@link PoseReader} reads, version 0.1 or 0.2 as the header says. Used to
 * build files for the edge cases a real recording does not have (several people, missing components, ...) and to
 * check that reading a written file gives it back.
 */
public final class PoseWriter {

    private PoseWriter() {
    }

    public static byte[] write(PoseFile file) {
        PoseHeader header = file.header();
        PoseBody body = file.body();
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024 + (body.data().length + body.confidence().length) * 4);
        ByteBuffer fixed = little(10);
        fixed.putFloat(header.version()).putShort((short) header.width()).putShort((short) header.height())
                .putShort((short) header.depth());
        out.writeBytes(fixed.array());
        out.writeBytes(little(2).putShort((short) header.components().size()).array());
        for (PoseComponent component : header.components()) {
            writeString(out, component.name());
            writeString(out, component.format());
            out.writeBytes(little(6).putShort((short) component.points().size())
                    .putShort((short) (component.limbs().length / 2)).putShort((short) (component.colors().length / 3))
                    .array());
            component.points().forEach(point -> writeString(out, point));
            writeShorts(out, component.limbs());
            writeShorts(out, component.colors());
        }
        boolean v2 = Math.round(header.version() * 1000) == 200;
        ByteBuffer counts = little(v2 ? 10 : 6);
        if (v2) {
            counts.putFloat(body.fps()).putInt(body.frames());
        } else {
            counts.putShort((short) Math.round(body.fps())).putShort((short) body.frames());
        }
        out.writeBytes(counts.putShort((short) body.people()).array());
        out.writeBytes(floats(body.data()));
        out.writeBytes(floats(body.confidence()));
        return out.toByteArray();
    }

    private static void writeString(ByteArrayOutputStream out, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.writeBytes(little(2).putShort((short) bytes.length).array());
        out.writeBytes(bytes);
    }

    private static void writeShorts(ByteArrayOutputStream out, int[] values) {
        ByteBuffer buffer = little(2 * values.length);
        for (int value : values) {
            buffer.putShort((short) value);
        }
        out.writeBytes(buffer.array());
    }

    private static byte[] floats(float[] values) {
        ByteBuffer buffer = little(4 * values.length);
        buffer.asFloatBuffer().put(values);
        return buffer.array();
    }

    private static ByteBuffer little(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }
}
