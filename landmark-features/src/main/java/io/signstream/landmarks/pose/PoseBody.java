package io.signstream.landmarks.pose;

/**
 * A pose-format body.
 *
 * @param data [frames, people, points, dims] row-major
 * @param confidence [frames, people, points] row-major; 0 marks a point that was not detected
 */
public record PoseBody(float fps, int frames, int people, int points, int dims, float[] data, float[] confidence) {

    public PoseBody {
        long count = (long) frames * people * points;
        if (data.length != count * dims || confidence.length != count) {
            throw new IllegalArgumentException("data and confidence do not match " + frames + " x " + people + " x "
                    + points + " x " + dims);
        }
    }

    public float value(int frame, int person, int point, int dim) {
        return data[((frame * people + person) * points + point) * dims + dim];
    }

    public float confidence(int frame, int person, int point) {
        return confidence[(frame * people + person) * points + point];
    }
}
