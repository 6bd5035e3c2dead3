package io.signstream.landmarks.derive;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import io.signstream.contract.FeatureLayout;
import io.signstream.contract.RejectionReason;
import io.signstream.contract.SampleRejectedException;
import io.signstream.contract.proto.FeatureDerivation;
import io.signstream.landmarks.HolisticLandmarks;
import io.signstream.landmarks.HolisticLayout;

/**
 * The one derivation of the 6516 feature columns from Holistic landmarks, version {@value #VERSION}:
 * <ol>
 * <li>raw columns 0..1628, point {@code p} at {@code 3p..3p+2} in {@link HolisticLayout} order:
 * {@code x / frameWidth}, {@code y / frameHeight}, {@code z} (float32 division). pose-format stores x and y in
 * pixels and MediaPipe's z unscaled, so this gives back MediaPipe's normalized landmarks; arrays that are already
 * normalized come with a frame size of 1.</li>
 * <li>a point whose confidence is exactly 0, or one of whose coordinates is NaN (how some exports write an undetected
 * hand), is written as (0, 0, 0): MediaPipe's own convention for a missing hand, which the normalization turns into
 * a constant channel rather than a NaN. Any other confidence, however small, keeps the point.</li>
 * <li>an infinite coordinate of a kept point is refused ({@link RejectionReason#NON_FINITE}): it is a broken
 * file, not a missing landmark.</li>
 * <li>temporal columns 1629..6515: {@link TemporalFeatures} (velocity, acceleration, jerk as backward
 * differences; a hand that appears jumps from 0 like every other discontinuity).</li>
 * </ol>
 * Changing any of this changes the numbers and must bump {@link #VERSION}, so the stamp on every record tells
 * which arithmetic produced it.
 */
public final class HolisticDerivation {

    public static final String METHOD = "holistic-landmarks";
    public static final int VERSION = 1;

    private HolisticDerivation() {
    }

    /** [frames, 6516] row-major. */
    public static float[] derive(HolisticLandmarks landmarks) {
        int frames = landmarks.frames();
        float[] features = new float[frames * FeatureLayout.DIMS];
        float[] xyz = landmarks.xyz();
        float[] confidence = landmarks.confidence();
        float width = landmarks.frameWidth();
        float height = landmarks.frameHeight();
        for (int t = 0; t < frames; t++) {
            for (int p = 0; p < HolisticLayout.POINTS; p++) {
                int point = t * HolisticLayout.POINTS + p;
                float x = xyz[3 * point];
                float y = xyz[3 * point + 1];
                float z = xyz[3 * point + 2];
                boolean missing = (confidence != null && confidence[point] == 0f)
                        || Float.isNaN(x) || Float.isNaN(y) || Float.isNaN(z);
                if (missing) {
                    continue; // stays (0, 0, 0)
                }
                if (Float.isInfinite(x) || Float.isInfinite(y) || Float.isInfinite(z)) {
                    throw new SampleRejectedException(RejectionReason.NON_FINITE, String.format(Locale.ROOT,
                            "frame %d, landmark %d (%s) has an infinite coordinate (%s, %s, %s)", t, p, part(p), x, y,
                            z));
                }
                int column = t * FeatureLayout.DIMS + 3 * p;
                features[column] = x / width;
                features[column + 1] = y / height;
                features[column + 2] = z;
            }
        }
        TemporalFeatures.derive(features, frames);
        return features;
    }

    /** The stamp for the record: method, version, and what the input was (format, frame size, extras). */
    public static FeatureDerivation stamp(HolisticLandmarks landmarks) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("input", landmarks.input());
        parameters.put("frame_width", trim(landmarks.frameWidth()));
        parameters.put("frame_height", trim(landmarks.frameHeight()));
        parameters.put("confidence", landmarks.confidence() == null ? "none" : "zero-means-missing");
        parameters.putAll(landmarks.extra());
        return FeatureDerivation.newBuilder().setMethod(METHOD).setMethodVersion(VERSION)
                .putAllParameters(parameters).build();
    }

    private static String trim(float value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Float.toString(value);
    }

    private static String part(int point) {
        return HolisticLayout.PARTS.stream().filter(p -> point >= p.first() && point < p.first() + p.points())
                .findFirst().map(HolisticLayout.Part::component).orElse("?");
    }
}
