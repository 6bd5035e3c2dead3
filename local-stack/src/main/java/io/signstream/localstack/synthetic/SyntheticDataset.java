package io.signstream.localstack.synthetic;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import io.signstream.contract.FeatureLayout;
import io.signstream.contract.proto.Split;
import io.signstream.landmarks.derive.TemporalFeatures;

/**
 * A small, learnable, synthetic data set that looks like MediaPipe Holistic features.
 *
 * <p>Every frame has the 6516 columns of the contract: 543 landmarks x (x, y, z) in image space
 * (x, y around [0, 1], z small) followed by 4887 temporal columns. Each gloss is a distinct smooth motion:
 * per-gloss seeded sinusoids move the hands (where they go, how they oscillate, how the fingers curl),
 * the pose's arm landmarks follow the hands, and the face nods and mouths a little. A gloss occurrence lasts a
 * random number of frames (the motion is time-warped to fit), starts and ends at rest (so a sentence is a
 * trajectory whose positions and speeds are continuous), and every raw coordinate gets Gaussian noise. Simulated signers shift and scale the
 * whole body slightly.
 *
 * <p>Temporal columns: velocity, acceleration and jerk as backward differences of the raw values, all zero on
 * frame 0 ({@link TemporalFeatures}).
 *
 * <p>Deterministic: the gloss patterns follow from the seed, and each sample from the seed, its split and its
 * index, so samples can be produced one at a time (a split never has to fit in memory) and in any order.
 * Sample ids are {@code {split}-{index:05d}} (e.g. {@code train-00007}); the stamp is NONE (field absent), as a
 * publisher sends them to {@code features.raw}.
 */
public final class SyntheticDataset implements SyntheticSource {

    public static final int RAW_DIMS = 1629;
    static final int POSE_LANDMARKS = 33;
    static final int HAND_LANDMARKS = 21;
    static final int FACE_LANDMARKS = 468;
    private static final int HANDS_FIRST = POSE_LANDMARKS;
    private static final int FACE_FIRST = POSE_LANDMARKS + 2 * HAND_LANDMARKS;

    /** Weather-report glosses, PHOENIX style; beyond them glosses are numbered. */
    private static final List<String> GLOSS_NAMES = List.of("REGEN", "SONNE", "WOLKE", "SCHNEE", "WIND", "NEBEL",
            "GEWITTER", "MORGEN", "HEUTE", "ABEND", "NACHT", "NORD", "SUED", "OST", "WEST", "WARM", "KALT", "FROST",
            "STURM", "BEWOELKT", "KLAR", "TEMPERATUR", "GRAD", "MINUS", "PLUS", "MEHR", "WENIG", "AUCH", "DANN",
            "SPAETER", "MONTAG", "DIENSTAG", "MITTWOCH", "DONNERSTAG", "FREITAG", "SAMSTAG", "SONNTAG", "REGION",
            "KUESTE", "BERG");

    private final SyntheticOptions options;
    private final List<String> glosses;
    private final GlossMotion[] motions;
    private final float[] rest;

    public SyntheticDataset(SyntheticOptions options) {
        this.options = options;
        List<String> names = new ArrayList<>();
        for (int g = 0; g < options.vocabularySize(); g++) {
            names.add(g < GLOSS_NAMES.size() ? GLOSS_NAMES.get(g) : String.format(Locale.ROOT, "GLOSS%03d", g));
        }
        this.glosses = Collections.unmodifiableList(names);
        this.motions = new GlossMotion[options.vocabularySize()];
        for (int g = 0; g < motions.length; g++) {
            motions[g] = new GlossMotion(new Random(Seeds.mix(options.seed(), 0x5EED, g)));
        }
        this.rest = restPose();
    }

    public SyntheticOptions options() {
        return options;
    }

    /** The gloss names, in pattern order (gloss i moves with pattern i). */
    @Override
    public List<String> glosses() {
        return glosses;
    }

    @Override
    public int count(Split split) {
        return options.count(split);
    }

    @Override
    public SyntheticSample sample(Split split, int index) {
        if (index < 0 || index >= count(split)) {
            throw new IndexOutOfBoundsException(split + " has " + count(split) + " samples, not index " + index);
        }
        Random random = new Random(Seeds.mix(options.seed(), split.getNumber(), index));
        int length = options.minGlosses() + random.nextInt(options.maxGlosses() - options.minGlosses() + 1);
        int[] sentence = new int[length];
        int[] durations = new int[length];
        int frames = 0;
        for (int i = 0; i < length; i++) {
            int gloss;
            do {
                gloss = random.nextInt(motions.length);
            } while (i > 0 && gloss == sentence[i - 1]);
            sentence[i] = gloss;
            durations[i] = options.minFramesPerGloss()
                    + random.nextInt(options.maxFramesPerGloss() - options.minFramesPerGloss() + 1);
            frames += durations[i];
        }
        int signer = random.nextInt(options.signers());
        Random signerLook = new Random(Seeds.mix(options.seed(), 0x516E, signer));
        double scale = 0.94 + 0.12 * signerLook.nextDouble();
        double shiftX = 0.04 * (signerLook.nextDouble() - 0.5);
        double shiftY = 0.04 * (signerLook.nextDouble() - 0.5);

        float[] features = new float[frames * FeatureLayout.DIMS];
        double[] raw = new double[RAW_DIMS];
        int t = 0;
        for (int i = 0; i < length; i++) {
            GlossMotion motion = motions[sentence[i]];
            for (int f = 0; f < durations[i]; f++, t++) {
                // u runs 0..1 over the occurrence, so a longer occurrence is the same motion played slower
                double u = (f + 0.5) / durations[i];
                motion.pose(rest, u, raw);
                int row = t * FeatureLayout.DIMS;
                for (int c = 0; c < RAW_DIMS; c++) {
                    double value = raw[c];
                    if (c % 3 != 2) {
                        double centre = 0.5;
                        value = centre + (value - centre) * scale + (c % 3 == 0 ? shiftX : shiftY);
                    }
                    features[row + c] = (float) (value + options.noise() * random.nextGaussian());
                }
            }
        }
        TemporalFeatures.derive(features, frames);
        List<String> annotation = new ArrayList<>(length);
        for (int gloss : sentence) {
            annotation.add(glosses.get(gloss));
        }
        return new SyntheticSample(SyntheticSource.sampleId(split, index), split, SyntheticSource.signerName(signer),
                List.copyOf(annotation), frames, features);
    }

    /**
     * {@code java ... SyntheticDataset OUT_DIR [seed] [vocabularySize] [train] [dev] [test]}: writes the PHOENIX
     * layout (defaults of {@link SyntheticOptions#defaults()} for what is not given).
     */
    public static void main(String[] args) {
        if (args.length < 1) {
            System.err.println("usage: SyntheticDataset OUT_DIR [seed] [vocabularySize] [train] [dev] [test]");
            System.exit(2);
        }
        SyntheticOptions options = SyntheticOptions.defaults();
        if (args.length > 1) {
            options = options.withSeed(Long.parseLong(args[1]));
        }
        if (args.length > 2) {
            options = options.withVocabularySize(Integer.parseInt(args[2]));
        }
        if (args.length > 5) {
            options = options.withSamples(Integer.parseInt(args[3]), Integer.parseInt(args[4]), Integer.parseInt(args[5]));
        }
        Path root = Path.of(args[0]);
        new SyntheticDataset(options).writePhoenix(root);
        System.out.println("wrote " + options + " to " + root.toAbsolutePath());
    }

    /** The neutral pose: a frontal signer, hands in front of the belly, face mesh as a slightly bulging disc. */
    private static float[] restPose() {
        float[] rest = new float[RAW_DIMS];
        // MediaPipe pose: 0 nose, 1-10 eyes/ears/mouth, 11-12 shoulders, 13-14 elbows, 15-16 wrists,
        // 17-22 hand points, 23-24 hips, 25-32 legs (below the image, as MediaPipe reports them)
        double[][] pose = {
                {0.50, 0.22}, {0.48, 0.20}, {0.47, 0.20}, {0.46, 0.20}, {0.52, 0.20}, {0.53, 0.20}, {0.54, 0.20},
                {0.44, 0.21}, {0.56, 0.21}, {0.48, 0.26}, {0.52, 0.26}, {0.38, 0.40}, {0.62, 0.40}, {0.33, 0.58},
                {0.67, 0.58}, {0.42, 0.68}, {0.58, 0.68}, {0.41, 0.71}, {0.59, 0.71}, {0.42, 0.72}, {0.58, 0.72},
                {0.43, 0.70}, {0.57, 0.70}, {0.42, 0.86}, {0.58, 0.86}, {0.41, 1.10}, {0.59, 1.10}, {0.41, 1.32},
                {0.59, 1.32}, {0.40, 1.35}, {0.60, 1.35}, {0.42, 1.37}, {0.58, 1.37}};
        for (int p = 0; p < POSE_LANDMARKS; p++) {
            set(rest, p, pose[p][0], pose[p][1], p < 11 ? -0.30 : -0.10);
        }
        // hands: wrist, then 5 fingers x 4 joints fanning out upwards from the wrist
        for (int h = 0; h < 2; h++) {
            double wristX = h == 0 ? 0.42 : 0.58;
            double wristY = 0.68;
            int first = HANDS_FIRST + h * HAND_LANDMARKS;
            set(rest, first, wristX, wristY, 0.0);
            for (int finger = 0; finger < 5; finger++) {
                double angle = Math.toRadians((h == 0 ? -1 : 1) * (-60 + 30 * finger)) - Math.PI / 2;
                for (int joint = 1; joint <= 4; joint++) {
                    double reach = 0.012 * joint + (finger == 0 ? 0.0 : 0.01);
                    set(rest, first + 1 + finger * 4 + (joint - 1), wristX + reach * Math.cos(angle),
                            wristY + reach * Math.sin(angle), -0.01 * joint);
                }
            }
        }
        // face: 468 points spread evenly over an ellipse around the nose (golden-angle spiral)
        for (int k = 0; k < FACE_LANDMARKS; k++) {
            double r = Math.sqrt((k + 0.5) / FACE_LANDMARKS);
            double theta = k * 2.399963229728653;
            set(rest, FACE_FIRST + k, 0.50 + 0.065 * r * Math.cos(theta), 0.21 + 0.085 * r * Math.sin(theta),
                    -0.04 * (1 - r * r));
        }
        return rest;
    }

    private static void set(float[] raw, int landmark, double x, double y, double z) {
        raw[3 * landmark] = (float) x;
        raw[3 * landmark + 1] = (float) y;
        raw[3 * landmark + 2] = (float) z;
    }

    /** The seeded motion of one gloss. */
    private static final class GlossMotion {

        private final double[] offsetX = new double[2];
        private final double[] offsetY = new double[2];
        private final double[] ampX = new double[2];
        private final double[] ampY = new double[2];
        private final double[] ampZ = new double[2];
        private final double[] phaseX = new double[2];
        private final double[] phaseY = new double[2];
        private final int[] cycles = new int[2];
        private final double[][] curl = new double[2][5];
        private final double[][] curlPhase = new double[2][5];
        private final double nodX;
        private final double nodY;
        private final double mouth;
        private final int mouthCycles;

        GlossMotion(Random random) {
            // the dominant (right) hand always moves; the other joins with a gloss-specific share
            double[] share = {0.2 + 0.8 * random.nextDouble(), 1.0};
            for (int h = 0; h < 2; h++) {
                offsetX[h] = share[h] * 0.16 * (random.nextDouble() - 0.5) * 2;
                offsetY[h] = share[h] * (-0.25 + 0.30 * random.nextDouble());
                ampX[h] = share[h] * (0.015 + 0.045 * random.nextDouble());
                ampY[h] = share[h] * (0.015 + 0.045 * random.nextDouble());
                ampZ[h] = share[h] * 0.03 * random.nextDouble();
                phaseX[h] = 2 * Math.PI * random.nextDouble();
                phaseY[h] = 2 * Math.PI * random.nextDouble();
                cycles[h] = 1 + random.nextInt(2);
                for (int finger = 0; finger < 5; finger++) {
                    curl[h][finger] = 0.9 * random.nextDouble();
                    curlPhase[h][finger] = 2 * Math.PI * random.nextDouble();
                }
            }
            nodX = 0.012 * (random.nextDouble() - 0.5);
            nodY = 0.012 * (random.nextDouble() - 0.5);
            mouth = 0.008 * random.nextDouble();
            mouthCycles = 1 + random.nextInt(2);
        }

        /** The 1629 raw values at progress {@code u} in [0, 1] of the gloss. */
        void pose(float[] rest, double u, double[] raw) {
            for (int c = 0; c < RAW_DIMS; c++) {
                raw[c] = rest[c];
            }
            // zero with zero slope at both ends: consecutive glosses meet at rest, position and speed stay continuous
            double envelope = Math.sin(Math.PI * u) * Math.sin(Math.PI * u);
            for (int h = 0; h < 2; h++) {
                double wave = 2 * Math.PI * cycles[h] * u;
                double dx = envelope * (offsetX[h] + ampX[h] * Math.sin(wave + phaseX[h]));
                double dy = envelope * (offsetY[h] + ampY[h] * Math.sin(wave + phaseY[h]));
                double dz = envelope * ampZ[h] * Math.cos(wave);
                int wrist = HANDS_FIRST + h * HAND_LANDMARKS;
                double wristX = rest[3 * wrist];
                double wristY = rest[3 * wrist + 1];
                move(raw, wrist, dx, dy, dz);
                for (int finger = 0; finger < 5; finger++) {
                    // curling pulls each joint towards the wrist, the tip the most
                    double bend = curl[h][finger] * envelope * (0.5 + 0.5 * Math.sin(wave + curlPhase[h][finger]));
                    for (int joint = 1; joint <= 4; joint++) {
                        int landmark = wrist + 1 + finger * 4 + (joint - 1);
                        double pull = bend * joint / 4.0;
                        double jx = rest[3 * landmark] - wristX;
                        double jy = rest[3 * landmark + 1] - wristY;
                        move(raw, landmark, dx - pull * jx, dy - pull * jy, dz + 0.01 * pull);
                    }
                }
                // the pose's arm follows its hand: wrist and hand points fully, the elbow half way
                int side = h == 0 ? 0 : 1;
                for (int p : new int[] {15 + side, 17 + side, 19 + side, 21 + side}) {
                    move(raw, p, dx, dy, dz);
                }
                move(raw, 13 + side, 0.5 * dx, 0.5 * dy, 0.5 * dz);
            }
            double nodPhase = Math.sin(2 * Math.PI * u);
            for (int k = 0; k < FACE_LANDMARKS; k++) {
                int landmark = FACE_FIRST + k;
                double mouthOpen = 0;
                // the lower middle of the face mesh is the mouth region
                double fx = (rest[3 * landmark] - 0.50) / 0.065;
                double fy = (rest[3 * landmark + 1] - 0.21) / 0.085;
                if (fy > 0.35 && Math.abs(fx) < 0.45) {
                    mouthOpen = mouth * envelope * Math.sin(2 * Math.PI * mouthCycles * u) * fy;
                }
                move(raw, landmark, envelope * nodX * nodPhase, envelope * nodY * nodPhase + mouthOpen, 0);
            }
            for (int p = 0; p < 11; p++) {
                move(raw, p, envelope * nodX * nodPhase, envelope * nodY * nodPhase, 0);
            }
        }

        private static void move(double[] raw, int landmark, double dx, double dy, double dz) {
            raw[3 * landmark] += dx;
            raw[3 * landmark + 1] += dy;
            raw[3 * landmark + 2] += dz;
        }
    }
}
