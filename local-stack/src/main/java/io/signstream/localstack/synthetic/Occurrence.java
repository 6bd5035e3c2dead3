package io.signstream.localstack.synthetic;

import java.util.Random;

/** One occurrence of a sign (or a rest) in a sentence, with its own small variations. */
final class Occurrence {

    private static final double[] REST_DOMINANT = {-0.75, 2.35, -0.3};
    private static final double[] PASSIVE = {0.8, 2.0, -0.5};

    final Sign sign;
    final int start;
    final int length;
    final double amplitude;
    final double[] shift = new double[3];
    final double rollShift;
    final double[] curlShift = new double[5];
    final double tempo;
    final double mouth;
    final int mouthCycles;
    final double[] passiveShift = new double[3];

    Occurrence(Sign sign, int start, int length, SignerHeldOutDataset.Signer signer, Random random) {
        this.sign = sign;
        this.start = start;
        this.length = length;
        this.amplitude = signer.amplitude() * (0.85 + 0.3 * random.nextDouble());
        shift[0] = 0.16 * (random.nextDouble() - 0.5);
        shift[1] = 0.16 * (random.nextDouble() - 0.5) + signer.height();
        shift[2] = 0.2 * (random.nextDouble() - 0.5);
        rollShift = 0.2 * (random.nextDouble() - 0.5);
        for (int k = 0; k < 5; k++) {
            curlShift[k] = 0.1 * (random.nextDouble() - 0.5);
        }
        tempo = 0.85 + 0.3 * random.nextDouble();
        // mouthing: timed with the gloss, its strength and rhythm random, so the face says little about which
        mouth = sign == null ? 0 : 0.09 * random.nextDouble();
        mouthCycles = 1 + random.nextInt(3);
        for (int k = 0; k < 3; k++) {
            passiveShift[k] = 0.1 * (random.nextDouble() - 0.5);
        }
    }

    /** The pose at progress {@code u} (clamped to [0, 1]) of this occurrence. */
    void pose(double u, SigningPose out) {
        u = Math.min(1, Math.max(0, u));
        if (sign == null) {
            rest(out.dominant, -1);
            rest(out.other, 1);
            out.mouth = 0;
            return;
        }
        double warped = Math.pow(u, tempo);
        sign.dominant(warped, amplitude, shift, out.dominant);
        out.dominant.roll += rollShift;
        for (int k = 0; k < 5; k++) {
            out.dominant.curl[k] = Easing.clamp01(out.dominant.curl[k] + curlShift[k]);
        }
        switch (sign.twoHanded()) {
            case Sign.MIRRORED -> out.other.mirror(out.dominant);
            case Sign.ALTERNATING -> {
                sign.dominant(1 - warped, amplitude, shift, out.other);
                out.other.mirror(HandState.copy(out.other));
            }
            case Sign.BASE_HAND -> {
                double[] location = Sign.LOCATIONS[sign.location()];
                out.other.wrist[0] = 0.25 + shift[0];
                out.other.wrist[1] = location[1] + 0.45 + shift[1];
                out.other.wrist[2] = location[2] + shift[2];
                System.arraycopy(Sign.HANDSHAPES[0], 0, out.other.curl, 0, 5);
                out.other.roll = -1.45;
                out.other.yaw = 1.2;
            }
            default -> {
                for (int k = 0; k < 3; k++) {
                    out.other.wrist[k] = PASSIVE[k] + passiveShift[k];
                }
                System.arraycopy(Sign.RELAXED, 0, out.other.curl, 0, 5);
                out.other.roll = -2.6;
                out.other.yaw = 0.5;
            }
        }
        out.mouth = mouth * Math.pow(Math.sin(Math.PI * mouthCycles * u), 2);
    }

    private void rest(HandState hand, int side) {
        hand.wrist[0] = side * -REST_DOMINANT[0] + passiveShift[0] * 0.3;
        hand.wrist[1] = REST_DOMINANT[1] + passiveShift[1] * 0.3;
        hand.wrist[2] = REST_DOMINANT[2];
        System.arraycopy(Sign.RELAXED, 0, hand.curl, 0, 5);
        hand.roll = -side * 2.7; // fingers down, towards the middle
        hand.yaw = 0.6;
    }
}
