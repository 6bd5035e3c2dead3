package io.signstream.landmarks.npy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.signstream.contract.RejectionReason;
import io.signstream.contract.SampleRejectedException;
import io.signstream.contract.npy.Npy;
import io.signstream.contract.npy.NpyArray;
import io.signstream.landmarks.HolisticLandmarks;
import io.signstream.landmarks.HolisticLayout;

class LandmarkArraysTest {

    @Test
    void fourValuesPerPointCarryTheConfidence() {
        int frames = 2;
        float[] values = new float[frames * HolisticLayout.POINTS * 4];
        for (int i = 0; i < values.length; i++) {
            values[i] = i;
        }
        // read back through the .npy writer and reader, as an upload would be
        HolisticLandmarks landmarks = LandmarkArrays.from(Npy.readArray(Npy.toBytes(
                new NpyArray(new int[] {frames, HolisticLayout.POINTS, 4}, values))));
        assertEquals(frames, landmarks.frames());
        assertEquals(4f, landmarks.xyz()[3]);
        assertEquals(7f, landmarks.confidence()[1]);
        assertEquals(1f, landmarks.frameWidth());
        assertEquals("npy [T, 543, 4]", landmarks.input());
    }

    @Test
    void threeValuesPerPointHaveNoConfidence() {
        HolisticLandmarks landmarks = LandmarkArrays.from(new NpyArray(new int[] {1, 543, 3}, new float[543 * 3]));
        assertNull(landmarks.confidence());
    }

    @Test
    void anotherPointCountIsRefused() {
        SampleRejectedException e = assertThrows(SampleRejectedException.class,
                () -> LandmarkArrays.from(new NpyArray(new int[] {1, 553, 3}, new float[553 * 3])));
        assertEquals(RejectionReason.WRONG_POINT_COUNT, e.reason());
        assertTrue(e.detail().contains("553 points per frame"), e.detail());
    }

    @Test
    void anotherValueCountIsRefused() {
        SampleRejectedException e = assertThrows(SampleRejectedException.class,
                () -> LandmarkArrays.from(new NpyArray(new int[] {1, 543, 2}, new float[543 * 2])));
        assertEquals(RejectionReason.UNSUPPORTED_FORMAT, e.reason());
    }
}
