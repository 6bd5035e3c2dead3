package io.signstream.localstack.synthetic;

import java.util.Random;

/**
 * One gloss's sign: hand shape (start and end), location, movement (kind, direction, size, repetitions, plane,
 * reversed), orientation (roll and twist, yaw) and the other hand's part.
 */
record Sign(int handshape, int endHandshape, int location, int movement, double direction, double size,
        double bulge, int repetitions, boolean horizontal, boolean reversed, double roll, double twist,
        double yaw, int twoHanded) {

    /** Finger curls (thumb, index, middle, ring, pinky; 0 straight, 1 fully curled) of the hand shapes. */
    static final double[][] HANDSHAPES = {
            {0.6, 0, 0, 0, 0},           // B: flat hand, thumb across the palm
            {0, 0, 0, 0, 0},             // 5: spread
            {0.3, 1, 1, 1, 1},           // A: fist
            {0.8, 0, 1, 1, 1},           // 1: index
            {0.8, 0, 0, 1, 1},           // V
            {0, 1, 1, 1, 0},             // Y: thumb and pinky
            {0, 0, 1, 1, 1},             // L
            {0.4, 0.5, 0.5, 0.5, 0.5},   // C
            {0.7, 0.75, 0.75, 0.75, 0.75}, // O
            {0.8, 0, 0, 0, 1},           // W
    };
    static final double[] RELAXED = {0.3, 0.35, 0.4, 0.45, 0.5};

    /** Dominant-hand (right-handed signer) wrist positions in body units: x to the signer's left, y down, z to the camera negative. */
    static final double[][] LOCATIONS = {
            {-0.25, -1.55, -0.5}, // forehead
            {-0.2, -0.75, -0.6},  // chin
            {-0.6, -1.1, -0.4},   // cheek
            {-0.25, 0.7, -0.5},   // chest
            {0.35, 0.3, -0.4},    // the other shoulder
            {-0.55, 1.2, -1.2},   // neutral space
            {-0.3, 1.7, -0.8},    // belly
            {-1.5, 0.9, -0.6},    // beside the body
            {-0.6, -0.2, -1.3},   // high neutral space
    };
    static final int[] BASE_LOCATIONS = {3, 5, 6};

    static final int LINE = 0;
    static final int ARC = 1;
    static final int CIRCLE = 2;
    static final int ZIGZAG = 3;
    static final int TAP = 4;
    static final int SHAKE = 5;
    static final int MOVEMENTS = 6;

    static final int ONE_HANDED = 0;
    static final int MIRRORED = 1;
    static final int ALTERNATING = 2;
    static final int BASE_HAND = 3;


    static Sign random(Random random) {
        int handshape = random.nextInt(HANDSHAPES.length);
        int endHandshape = random.nextDouble() < 0.25 ? random.nextInt(HANDSHAPES.length) : handshape;
        int twoHanded = pick(random, 0.6, 0.15, 0.1, 0.15);
        int location = twoHanded == BASE_HAND ? BASE_LOCATIONS[random.nextInt(BASE_LOCATIONS.length)]
                : random.nextInt(LOCATIONS.length);
        int movement = random.nextInt(MOVEMENTS);
        return new Sign(handshape, endHandshape, location, movement, 2 * Math.PI * random.nextDouble(),
                0.5 + 0.6 * random.nextDouble(), 0.5 * (random.nextDouble() - 0.5), 2 + random.nextInt(2),
                random.nextBoolean(), false, 0.8 * (random.nextDouble() - 0.5), 0.8 * (random.nextDouble() - 0.5),
                0.8 * random.nextDouble(), twoHanded);
    }

    /** This sign with one property changed: 0 the hand shape, 1 the location, 2 the movement's direction. */
    Sign twin(int which, Random random) {
        return switch (which) {
            case 0 -> {
                int shape = (handshape + 1 + random.nextInt(HANDSHAPES.length - 1)) % HANDSHAPES.length;
                int end = endHandshape == handshape ? shape : (endHandshape + 1 + random.nextInt(HANDSHAPES.length - 1)) % HANDSHAPES.length;
                yield new Sign(shape, end, location, movement, direction, size, bulge, repetitions, horizontal,
                        reversed, roll, twist, yaw, twoHanded);
            }
            case 1 -> {
                int[] choices = twoHanded == BASE_HAND ? BASE_LOCATIONS : null;
                int place;
                do {
                    place = choices != null ? choices[random.nextInt(choices.length)] : random.nextInt(LOCATIONS.length);
                } while (place == location);
                yield new Sign(handshape, endHandshape, place, movement, direction, size, bulge, repetitions,
                        horizontal, reversed, roll, twist, yaw, twoHanded);
            }
            default -> new Sign(handshape, endHandshape, location, movement, direction, size, bulge, repetitions,
                    horizontal, !reversed, roll, twist, yaw, twoHanded);
        };
    }

    private static int pick(Random random, double... weights) {
        double x = random.nextDouble();
        for (int i = 0; i < weights.length - 1; i++) {
            x -= weights[i];
            if (x < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }

    /** The dominant hand at progress {@code u} in [0, 1] of the sign. */
    void dominant(double u, double amplitude, double[] shift, HandState out) {
        double m = reversed ? 1 - u : u;
        double e = Easing.smoothstep(m);
        double cos = Math.cos(direction);
        double sin = Math.sin(direction);
        double along = 0;
        double across = 0;
        double depth = 0;
        double wiggle = 0;
        switch (movement) {
            case LINE -> along = (e - 0.5) * size;
            case ARC -> {
                along = (e - 0.5) * size;
                across = bulge * Math.sin(Math.PI * e) * size;
            }
            case CIRCLE -> {
                double r = 0.25 + 0.2 * size;
                double angle = 2 * Math.PI * m + direction;
                along = r * (Math.cos(angle) - Math.cos(direction));
                across = r * (Math.sin(angle) - Math.sin(direction)) * (bulge >= 0 ? 1 : -1);
            }
            case ZIGZAG -> {
                along = (e - 0.5) * size;
                double phase = 0.5 * repetitions * m;
                across = 0.18 * (2 * Math.abs(phase - Math.floor(phase + 0.5)) * 2 - 1);
            }
            case TAP -> {
                double tap = Math.pow(Math.sin(Math.PI * 2 * m), 2);
                depth = 0.35 * size * tap;
                along = 0.1 * tap;
            }
            default -> { // SHAKE: small oscillation at the location, fingers wiggling
                along = 0.15 * size * Math.sin(Math.PI * repetitions * m);
                wiggle = 0.25 * Math.sin(Math.PI * repetitions * m);
            }
        }
        double dx = along * cos - across * sin;
        double dy = along * sin + across * cos;
        double dz = depth;
        if (horizontal) { // the movement in the horizontal plane: the image's vertical becomes depth
            dz += dy;
            dy = 0;
        }
        double[] location = LOCATIONS[this.location];
        out.wrist[0] = location[0] + shift[0] + amplitude * dx;
        out.wrist[1] = location[1] + shift[1] + amplitude * dy;
        out.wrist[2] = location[2] + shift[2] - amplitude * dz;
        double[] from = HANDSHAPES[handshape];
        double[] to = HANDSHAPES[endHandshape];
        for (int f = 0; f < 5; f++) {
            double curl = from[f] + e * (to[f] - from[f]);
            out.curl[f] = Easing.clamp01(curl + (f > 0 ? wiggle * (f % 2 == 0 ? 1 : -1) : 0));
        }
        out.roll = roll + twist * e;
        out.yaw = yaw;
    }
}
