package io.signstream.localstack.synthetic;

/** Where a hand is and what it looks like, in body units, for a right-handed signer. */
final class HandState {
    final double[] wrist = new double[3];
    final double[] curl = new double[5];
    /** Direction the fingers point in the image plane: 0 up, positive towards the signer's left. */
    double roll;
    /** Palm turned away from the camera (0 facing it). */
    double yaw;

    void lerp(HandState a, HandState b, double w) {
        for (int k = 0; k < 3; k++) {
            wrist[k] = a.wrist[k] + w * (b.wrist[k] - a.wrist[k]);
        }
        for (int k = 0; k < 5; k++) {
            curl[k] = a.curl[k] + w * (b.curl[k] - a.curl[k]);
        }
        roll = a.roll + w * (b.roll - a.roll);
        yaw = a.yaw + w * (b.yaw - a.yaw);
    }

    void mirror(HandState other) {
        wrist[0] = -other.wrist[0];
        wrist[1] = other.wrist[1];
        wrist[2] = other.wrist[2];
        System.arraycopy(other.curl, 0, curl, 0, 5);
        roll = -other.roll;
        yaw = other.yaw;
    }

    /** An independent copy of {@code hand}. */
    static HandState copy(HandState hand) {
        HandState copy = new HandState();
        copy.lerp(hand, hand, 0);
        return copy;
    }
}
