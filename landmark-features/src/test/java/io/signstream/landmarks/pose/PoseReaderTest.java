package io.signstream.landmarks.pose;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.signstream.contract.RejectionReason;
import io.signstream.landmarks.SharedFixtures;

class PoseReaderTest {

    @Test
    void readsTheRealRecordingHeaderAndBody() {
        PoseFile file = PoseReader.read(SharedFixtures.read(SharedFixtures.EXAMPLE_POSE));
        PoseHeader header = file.header();
        assertEquals("0.2", header.versionText());
        assertEquals(320, header.width());
        assertEquals(240, header.height());
        assertEquals(List.of("POSE_LANDMARKS", "FACE_LANDMARKS", "LEFT_HAND_LANDMARKS", "RIGHT_HAND_LANDMARKS",
                "POSE_WORLD_LANDMARKS"), header.components().stream().map(PoseComponent::name).toList());
        assertEquals(List.of(33, 468, 21, 21, 33), header.components().stream().map(c -> c.points().size()).toList());
        assertEquals("XYZC", header.components().get(0).format());
        assertEquals("NOSE", header.components().get(0).points().get(0));
        assertEquals("WRIST", header.components().get(2).points().get(0));
        assertEquals(3, header.dims());
        assertEquals(501, header.firstPointOf("LEFT_HAND_LANDMARKS").getAsInt());

        PoseBody body = file.body();
        assertEquals(25f, body.fps());
        assertEquals(97, body.frames());
        assertEquals(1, body.people());
        assertEquals(576, body.points());
        // frame 0, NOSE, as numpy reads the file: (162.82692, 63.49268, -0.91396254), visibility 0.9986324
        assertEquals(162.82692f, body.value(0, 0, 0, 0));
        assertEquals(63.49268f, body.value(0, 0, 0, 1));
        assertEquals(-0.91396254f, body.value(0, 0, 0, 2));
        assertEquals(0.9986324f, body.confidence(0, 0, 0));
        // the left hand is first detected in frame 17: wrist (223.98395, 189.44897, 1.2228935e-07)
        assertEquals(0f, body.confidence(16, 0, 501));
        assertEquals(1f, body.confidence(17, 0, 501));
        assertEquals(223.98395f, body.value(17, 0, 501, 0));
        assertEquals(189.44897f, body.value(17, 0, 501, 1));
    }

    @Test
    void writingWhatWasReadGivesTheFileBackByteForByte() {
        byte[] original = SharedFixtures.read(SharedFixtures.EXAMPLE_POSE);
        assertArrayEquals(original, PoseWriter.write(PoseReader.read(original)));
    }

    @Test
    void readsVersion01WhoseFrameCountFollowsFromTheSize() {
        PoseFile v2 = PoseFiles.file(PoseFiles.holisticComponents(), 3, 1, List.of());
        PoseHeader v1Header = new PoseHeader(0.1f, 320, 240, 0, v2.header().components());
        PoseBody body = v2.body();
        byte[] bytes = PoseWriter.write(new PoseFile(v1Header, body));
        // version 0.1 stores the frame count as uint16 and readers ignore it: overwritten with 0 on purpose
        int frameCountAt = bytes.length - (body.data().length + body.confidence().length) * 4 - 4;
        bytes[frameCountAt] = 0;
        bytes[frameCountAt + 1] = 0;
        PoseFile read = PoseReader.read(bytes);
        assertEquals("0.1", read.header().versionText());
        assertEquals(3, read.body().frames());
        assertArrayEquals(body.data(), read.body().data());
        assertArrayEquals(body.confidence(), read.body().confidence());
    }

    @Test
    void aFileCutInsideTheHeaderIsTruncated() {
        byte[] whole = PoseFiles.holistic(2);
        assertRefused(Arrays.copyOf(whole, 200), RejectionReason.TRUNCATED_FILE, "ends inside its header");
        assertRefused(Arrays.copyOf(whole, 12), RejectionReason.TRUNCATED_FILE, "ends inside its header");
    }

    @Test
    void aFileCutInsideTheBodyIsTruncated() {
        byte[] whole = PoseFiles.holistic(2);
        assertRefused(Arrays.copyOf(whole, whole.length - 1), RejectionReason.TRUNCATED_FILE,
                "declares 2 frames x 1 people x 576 points");
    }

    @Test
    void bytesBeyondTheDeclaredFramesAreAHeaderBodyMismatch() {
        byte[] whole = PoseFiles.holistic(2);
        assertRefused(Arrays.copyOf(whole, whole.length + 8), RejectionReason.HEADER_BODY_MISMATCH,
                "8 bytes are not accounted for");
    }

    @Test
    void aVersion01BodyOfNoWholeNumberOfFramesIsAHeaderBodyMismatch() {
        PoseFile v2 = PoseFiles.file(PoseFiles.holisticComponents(), 2, 1, List.of());
        byte[] v1 = PoseWriter.write(new PoseFile(new PoseHeader(0.1f, 320, 240, 0, v2.header().components()),
                v2.body()));
        assertRefused(Arrays.copyOf(v1, v1.length - 4), RejectionReason.HEADER_BODY_MISMATCH,
                "not a whole number of frames");
    }

    @Test
    void unknownVersionsAreRefusedAndNotTakenForPoseFiles() {
        byte[] file = PoseFiles.holistic(1);
        java.nio.ByteBuffer.wrap(file).order(java.nio.ByteOrder.LITTLE_ENDIAN).putFloat(0, 0.3f);
        assertFalse(PoseReader.looksLikePose(file));
        assertRefused(file, RejectionReason.UNSUPPORTED_FORMAT, "version 0.3");
        assertTrue(PoseReader.looksLikePose(PoseFiles.holistic(1)));
        assertFalse(PoseReader.looksLikePose("id|folder".getBytes()));
    }

    private static void assertRefused(byte[] file, RejectionReason reason, String text) {
        PoseFormatException e = assertThrows(PoseFormatException.class, () -> PoseReader.read(file));
        assertEquals(reason, e.reason(), e.detail());
        assertTrue(e.detail().contains(text), e.detail());
    }
}
