package io.signstream.landmarks.npy;

import java.util.Arrays;
import java.util.Map;

import io.signstream.contract.RejectionReason;
import io.signstream.contract.SampleRejectedException;
import io.signstream.contract.npy.NpyArray;
import io.signstream.landmarks.HolisticLandmarks;
import io.signstream.landmarks.HolisticLayout;

/**
 * Holistic landmarks saved as an array [frames, 543, 3 or 4]: the points in the layout's order (pose 33, left hand
 * 21, right hand 21, face 468), x and y in MediaPipe's normalized image coordinates ([0, 1], as its
 * {@code NormalizedLandmark} gives them), z as MediaPipe gives it, and a fourth value, when present, the
 * visibility or presence (0 = not detected).
 */
public final class LandmarkArrays {

    private LandmarkArrays() {
    }

    public static boolean isLandmarkShape(NpyArray array) {
        return array.shape().length == 3;
    }

    public static HolisticLandmarks from(NpyArray array) {
        int[] shape = array.shape();
        if (shape.length != 3) {
            throw new SampleRejectedException(RejectionReason.UNSUPPORTED_FORMAT, "landmark array has shape "
                    + Arrays.toString(shape) + ", expected [frames, 543, 3 or 4]");
        }
        if (shape[1] != HolisticLayout.POINTS) {
            throw new SampleRejectedException(RejectionReason.WRONG_POINT_COUNT, "landmark array has shape "
                    + Arrays.toString(shape) + ": " + shape[1] + " points per frame, MediaPipe Holistic has 543 "
                    + "(pose 33, left hand 21, right hand 21, face 468, in that order)");
        }
        int channels = shape[2];
        if (channels != 3 && channels != 4) {
            throw new SampleRejectedException(RejectionReason.UNSUPPORTED_FORMAT, "landmark array has shape "
                    + Arrays.toString(shape) + ": " + channels + " values per point, expected 3 (x, y, z) or 4 "
                    + "(x, y, z, visibility)");
        }
        int frames = shape[0];
        float[] values = array.values();
        float[] xyz = new float[frames * HolisticLayout.POINTS * 3];
        float[] confidence = channels == 4 ? new float[frames * HolisticLayout.POINTS] : null;
        for (int point = 0; point < frames * HolisticLayout.POINTS; point++) {
            System.arraycopy(values, point * channels, xyz, point * 3, 3);
            if (confidence != null) {
                confidence[point] = values[point * channels + 3];
            }
        }
        return new HolisticLandmarks(frames, xyz, confidence, 1f, 1f,
                "npy [T, 543, " + channels + "]", Map.of());
    }
}
