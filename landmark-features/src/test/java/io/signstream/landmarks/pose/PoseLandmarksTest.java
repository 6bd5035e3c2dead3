package io.signstream.landmarks.pose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.signstream.contract.RejectionReason;
import io.signstream.landmarks.HolisticLandmarks;
import io.signstream.landmarks.HolisticLayout;

class PoseLandmarksTest {

    @Test
    void componentsAreFoundByNameAndExtraOnesIgnored() {
        // reversed: POSE_WORLD_LANDMARKS first, POSE_LANDMARKS last; PoseFiles' y = 100 + component index
        HolisticLandmarks shuffled = PoseLandmarks.from(PoseReader.read(PoseFiles.bytes(PoseFiles.shuffled(), 2, 1)));
        HolisticLandmarks usual = PoseLandmarks.from(PoseReader.read(PoseFiles.holistic(2)));
        for (HolisticLayout.Part part : HolisticLayout.PARTS) {
            int first = part.first();
            // point i of a component: x = 10 t + i, z = i / 1000 wherever the component sits in the file
            assertEquals(10 + 4, shuffled.xyz()[3 * (HolisticLayout.POINTS + first + 4)], part.component());
            assertEquals(4 / 1000f, usual.xyz()[3 * (first + 4) + 2], part.component());
        }
        // y tells which file component landed where: POSE_LANDMARKS is component 0 in the usual order, 4 reversed
        assertEquals(100f, usual.xyz()[1]);
        assertEquals(104f, shuffled.xyz()[1]);
        assertEquals(102f, usual.xyz()[3 * HolisticLayout.LEFT_HAND_FIRST + 1]);
        assertEquals(101f, usual.xyz()[3 * HolisticLayout.FACE_FIRST + 1]);
        assertEquals(320f, usual.frameWidth());
        assertEquals(240f, usual.frameHeight());
        assertEquals("pose-format 0.2", usual.input());
    }

    @Test
    void aMissingComponentIsRefusedByName() {
        List<PoseComponent> components = new ArrayList<>(PoseFiles.holisticComponents());
        components.remove(3);
        PoseFormatException e = refused(PoseFiles.bytes(components, 1, 1), RejectionReason.MISSING_COMPONENT);
        assertTrue(e.detail().contains("no RIGHT_HAND_LANDMARKS component"), e.detail());
    }

    @Test
    void aComponentWithAnotherPointCountIsRefused() {
        List<PoseComponent> components = new ArrayList<>(PoseFiles.holisticComponents());
        components.set(1, PoseFiles.component("FACE_LANDMARKS", 478));
        PoseFormatException e = refused(PoseFiles.bytes(components, 1, 1), RejectionReason.WRONG_POINT_COUNT);
        assertTrue(e.detail().contains("FACE_LANDMARKS has 478 points, MediaPipe Holistic has 468"), e.detail());
    }

    @Test
    void severalPeopleAreRefused() {
        PoseFormatException e = refused(PoseFiles.bytes(PoseFiles.holisticComponents(), 2, 2),
                RejectionReason.SEVERAL_PEOPLE);
        assertTrue(e.detail().contains("2 people per frame"), e.detail());
    }

    @Test
    void noPersonOrNoFrameLeavesNothingToDerive() {
        refused(PoseFiles.bytes(PoseFiles.holisticComponents(), 3, 0), RejectionReason.NO_FRAMES);
        refused(PoseFiles.bytes(PoseFiles.holisticComponents(), 0, 1), RejectionReason.NO_FRAMES);
    }

    @Test
    void twoDimensionalPointsAreRefused() {
        List<PoseComponent> components = PoseFiles.holisticComponents().stream()
                .map(c -> PoseComponent.of(c.name(), "XYC", c.points())).toList();
        PoseHeader header = new PoseHeader(0.2f, 320, 240, 0, components);
        int points = header.totalPoints();
        PoseFile file = new PoseFile(header, new PoseBody(25f, 1, 1, points, 2, new float[2 * points],
                new float[points]));
        PoseFormatException e = refused(PoseWriter.write(file), RejectionReason.UNSUPPORTED_FORMAT);
        assertTrue(e.detail().contains("'XYC'"), e.detail());
    }

    @Test
    void confidenceIsCarriedForTheDerivationToApply() {
        HolisticLandmarks landmarks = PoseLandmarks.from(PoseReader.read(
                PoseFiles.holistic(1, "LEFT_HAND_LANDMARKS")));
        assertEquals(0f, landmarks.confidence()[HolisticLayout.LEFT_HAND_FIRST]);
        assertEquals(1f, landmarks.confidence()[HolisticLayout.RIGHT_HAND_FIRST]);
    }

    private static PoseFormatException refused(byte[] file, RejectionReason reason) {
        PoseFormatException e = assertThrows(PoseFormatException.class,
                () -> PoseLandmarks.from(PoseReader.read(file)));
        assertEquals(reason, e.reason(), e.detail());
        return e;
    }
}
