package io.signstream.landmarks;

import java.util.Map;

/**
 * Landmarks as a reader found them, before any arithmetic: per frame the 543 points of {@link HolisticLayout} with
 * (x, y, z) and, where the input has one, a confidence (visibility or presence; 0 = not detected).
 *
 * @param xyz [frames, 543, 3] row-major, in the input's units (pixels for pose-format files)
 * @param confidence [frames, 543], or null when the input has none
 * @param frameWidth divisor of x that brings it to MediaPipe's [0, 1] image coordinates (1 when already there)
 * @param frameHeight divisor of y, likewise
 * @param input what was read, for the derivation stamp (e.g. {@code pose-format 0.2})
 * @param extra further facts for the stamp (e.g. the recording's fps); may be empty
 */
public record HolisticLandmarks(int frames, float[] xyz, float[] confidence, float frameWidth, float frameHeight,
        String input, Map<String, String> extra) {

    public HolisticLandmarks {
        if (xyz.length != frames * HolisticLayout.POINTS * 3) {
            throw new IllegalArgumentException(frames + " frames need " + frames * HolisticLayout.POINTS * 3
                    + " coordinates, got " + xyz.length);
        }
        if (confidence != null && confidence.length != frames * HolisticLayout.POINTS) {
            throw new IllegalArgumentException(frames + " frames need " + frames * HolisticLayout.POINTS
                    + " confidences, got " + confidence.length);
        }
        if (!(frameWidth > 0) || !(frameHeight > 0)) {
            throw new IllegalArgumentException("frame size " + frameWidth + " x " + frameHeight + " must be positive");
        }
        extra = Map.copyOf(extra);
    }
}
