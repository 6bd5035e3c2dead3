package io.signstream.localstack.synthetic;

/** The easing curves the rendering blends with. */
final class Easing {

    private Easing() {
    }

    static double smoothstep(double x) {
        x = Math.min(1, Math.max(0, x));
        return x * x * (3 - 2 * x);
    }

    static double clamp01(double x) {
        return Math.min(1, Math.max(0, x));
    }
}
