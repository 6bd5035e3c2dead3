package io.signstream.contract;

/** The four column ranges of a 6516-wide MediaPipe Holistic feature frame. */
public enum Modality {
    /** 33 body landmarks x (x, y, z). */
    POSE(0, 99),
    /** 2 hands x 21 landmarks x (x, y, z). */
    HANDS(99, 126),
    /** 468 face-mesh landmarks x (x, y, z). */
    FACE(225, 1404),
    /** Velocity, acceleration, ... of the 1629 raw values (3 x 1629). */
    TEMPORAL(1629, 4887);

    private final int start;
    private final int width;

    Modality(int start, int width) {
        this.start = start;
        this.width = width;
    }

    /** First column, inclusive. */
    public int start() {
        return start;
    }

    /** Last column, exclusive. */
    public int end() {
        return start + width;
    }

    public int width() {
        return width;
    }
}
