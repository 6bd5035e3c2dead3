package io.signstream.localstack.synthetic;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import io.signstream.contract.FeatureLayout;
import io.signstream.contract.proto.Split;
import io.signstream.landmarks.derive.TemporalFeatures;

/**
 * A harder synthetic MediaPipe Holistic data set than the demo's {@link SyntheticDataset}, written independently
 * of it, modelling what makes real continuous signing hard, with signers held out: DEV and TEST are signed only by
 * signers TRAIN never shows.
 *
 * <ul>
 * <li><b>Signers</b> differ in body size, position in the image, signing speed (0.7-1.3x: a gloss's frames are
 * divided by it), a personal signing style (bigger or smaller movements, signing a little higher or lower) and
 * handedness: a left-handed signer's motions are the right-handed ones mirrored, with the dominant hand in
 * MediaPipe's left-hand block (landmarks 33..53) instead of the right (54..74). The first test signer signs faster
 * and is larger than every training signer.</li>
 * <li><b>Glosses</b> are defined the way sign phonology describes signs: a hand shape (finger curls, possibly
 * changing during the sign), a location relative to the body (forehead, chin, chest, neutral space, ...), a
 * movement (line, arc, circle, zigzag, taps, shaking) with its direction, the hand's orientation, and whether and
 * how the other hand takes part (not at all, mirrored, alternating, as a static base). Gloss pairs (0,1), (2,3), ...
 * up to {@code similarPairs} differ in one property only: the hand shape, the location, or the direction of the
 * same movement.</li>
 * <li><b>Sentences</b> of {@code minGlosses..maxGlosses} glosses, adjacent repeats allowed now and then, start and
 * end with a few rest frames (hands down); between glosses there is no rest: the end of one gloss blends into the
 * start of the next over {@code coarticulationFrames} frames on either side of the boundary. Every occurrence
 * varies a little (size, place, tempo within the gloss, orientation, curls).</li>
 * <li><b>MediaPipe's failures</b>: on about {@code missingHandRate} of the frames a hand is not detected, in short
 * runs (its 63 values are exactly 0.0, as MediaPipe reports an undetected hand), and in about
 * {@code outOfFrameRate} of the samples the non-dominant hand is out of frame for the whole sample.</li>
 * <li><b>Jitter</b>: Gaussian noise on every coordinate and a small per-frame tremor of the whole body. The face
 * nods and mouths a little, timed with the glosses but not tied to which gloss is signed.</li>
 * </ul>
 *
 * <p>Frames have the contract's 6516 columns: 543 landmarks x (x, y, z) (pose 33 with its z relative to the body,
 * hands 2 x 21 with z relative to the wrist, face 468) in image units, then velocity, acceleration and jerk of
 * the raw values ({@link TemporalFeatures}). Deterministic: the glosses and signers follow from the seed, each sample
 * from the seed, its split and its index. Sample ids and the PHOENIX layout are those of every
 * {@link SyntheticSource}; a sample's signer is {@code SignerNN} (signer index + 1).
 */
public final class SignerHeldOutDataset implements SyntheticSource {

    /** Slowest and fastest signing speed (a gloss lasts its frames at speed 1 divided by the speed). */
    public static final double MIN_SPEED = 0.7;
    public static final double MAX_SPEED = 1.3;

    static final int POSE = 33;
    static final int HAND = 21;
    static final int FACE = 468;
    /** First landmark of MediaPipe's left-hand block (the signer's left hand). */
    static final int LEFT_HAND_FIRST = POSE;
    /** First landmark of MediaPipe's right-hand block. */
    static final int RIGHT_HAND_FIRST = POSE + HAND;
    static final int FACE_FIRST = POSE + 2 * HAND;
    private static final int RAW = FeatureLayout.RAW_LANDMARK_VALUES;

    /** Image units per body unit (half a shoulder width) for a signer of scale 1. */
    private static final double UNIT = 0.105;
    private static final double UPPER_ARM = 1.5;
    private static final double FOREARM = 1.4;

    private static final List<String> GLOSS_NAMES = List.of("HEUTE", "MORGEN", "REGEN", "SONNE", "WOLKE", "SCHNEE",
            "WIND", "NEBEL", "GEWITTER", "NORD", "SUED", "OST", "WEST", "WARM", "KALT", "FROST", "GRAD", "MINUS",
            "PLUS", "TAG", "NACHT", "KOMMEN", "BLEIBEN", "STARK", "SCHWACH", "WECHSELHAFT", "DEUTSCHLAND", "REGION",
            "BERG", "KUESTE", "AUCH", "NOCH");

    /** Finger curls (thumb, index, middle, ring, pinky; 0 straight, 1 fully curled) of the hand shapes. */
    private static final double[][] HANDSHAPES = {
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
    private static final double[] RELAXED = {0.3, 0.35, 0.4, 0.45, 0.5};

    /** Dominant-hand (right-handed signer) wrist positions in body units: x to the signer's left, y down, z to the camera negative. */
    private static final double[][] LOCATIONS = {
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
    private static final int[] BASE_LOCATIONS = {3, 5, 6};

    private static final int LINE = 0;
    private static final int ARC = 1;
    private static final int CIRCLE = 2;
    private static final int ZIGZAG = 3;
    private static final int TAP = 4;
    private static final int SHAKE = 5;
    private static final int MOVEMENTS = 6;

    private static final int ONE_HANDED = 0;
    private static final int MIRRORED = 1;
    private static final int ALTERNATING = 2;
    private static final int BASE_HAND = 3;

    private static final double[] REST_DOMINANT = {-0.75, 2.35, -0.3};
    private static final double[] PASSIVE = {0.8, 2.0, -0.5};

    private final SignerHeldOutOptions options;
    private final List<String> glosses;
    private final Sign[] signs;
    private final List<Signer> signers;
    private final double[][] faceMesh;

    public SignerHeldOutDataset(SignerHeldOutOptions options) {
        this.options = options;
        List<String> names = new ArrayList<>();
        for (int g = 0; g < options.vocabularySize(); g++) {
            names.add(g < GLOSS_NAMES.size() ? GLOSS_NAMES.get(g) : String.format(Locale.ROOT, "ZEICHEN%03d", g));
        }
        this.glosses = Collections.unmodifiableList(names);
        this.signs = new Sign[options.vocabularySize()];
        for (int g = 0; g < signs.length; g++) {
            Random random = new Random(Seeds.mix(options.seed(), 0x6105, g));
            signs[g] = g % 2 == 1 && g / 2 < options.similarPairs()
                    ? signs[g - 1].twin((g / 2) % 3, random)
                    : Sign.random(random);
        }
        List<Signer> people = new ArrayList<>();
        for (int s = 0; s < options.signers(); s++) {
            people.add(Signer.of(options, s));
        }
        this.signers = Collections.unmodifiableList(people);
        this.faceMesh = faceMesh();
    }

    public SignerHeldOutOptions options() {
        return options;
    }

    @Override
    public List<String> glosses() {
        return glosses;
    }

    @Override
    public int count(Split split) {
        return options.count(split);
    }

    /** The sign of gloss {@code g} (for tests). */
    Sign sign(int g) {
        return signs[g];
    }

    /** Every simulated signer, by index. */
    public List<Signer> signers() {
        return signers;
    }

    /** The signers of a split: DEV's and TEST's as configured, TRAIN's all others. */
    public List<Signer> signers(Split split) {
        return signers.stream().filter(s -> s.split() == split).toList();
    }

    /**
     * A simulated signer.
     *
     * @param scale body size (1 = average)
     * @param offsetX where the body is in the image (shift of the shoulders' centre from 0.5, image units)
     * @param offsetY likewise vertically (from 0.44)
     * @param speed signing speed: a gloss's frames at speed 1 are divided by it
     * @param amplitude personal size of movements (1 = the sign's own)
     * @param height personal vertical bias of every location (body units, positive = lower)
     * @param leftHanded the dominant hand is the left (MediaPipe's left-hand block moves most)
     * @param split the split this signer signs
     */
    public record Signer(int index, String name, double scale, double offsetX, double offsetY, double speed,
            double amplitude, double height, boolean leftHanded, Split split) {

        static Signer of(SignerHeldOutOptions options, int index) {
            Random random = new Random(Seeds.mix(options.seed(), 0x5167, index));
            double scale = 0.88 + 0.2 * random.nextDouble();
            double offsetX = 0.1 * (random.nextDouble() - 0.5);
            double offsetY = 0.07 * (random.nextDouble() - 0.5);
            double speed = 0.8 + 0.4 * random.nextDouble();
            double amplitude = 0.85 + 0.3 * random.nextDouble();
            double height = 0.3 * (random.nextDouble() - 0.5);
            Split split = options.devSigners().contains(index) ? Split.DEV
                    : options.testSigners().contains(index) ? Split.TEST : Split.TRAIN;
            if (!options.testSigners().isEmpty() && options.testSigners().get(0) == index) {
                // outside the training signers' ranges: faster and bigger (closer to the camera) than all of them
                speed = MAX_SPEED;
                scale = 1.18;
            }
            return new Signer(index, SyntheticSource.signerName(index), scale, offsetX, offsetY, speed, amplitude,
                    height, options.leftHandedSigners().contains(index), split);
        }
    }

    /**
     * When what happens in one sample: its signer, glosses (indices into {@link #glosses()}), and the frames of
     * each gloss occurrence ({@code starts[i]}, {@code durations[i]}) between {@code leadingRest} rest frames and
     * {@code trailingRest} rest frames. {@code frames} is the sample's length.
     */
    public record Script(Signer signer, int[] glosses, int[] starts, int[] durations, int leadingRest,
            int trailingRest, int frames) {
    }

    /** The script of sample {@code index} of a split (the same every time; {@link #sample} renders it). */
    public Script script(Split split, int index) {
        return plan(split, index, sampleRandom(split, index));
    }

    @Override
    public SyntheticSample sample(Split split, int index) {
        Random random = sampleRandom(split, index);
        Script script = plan(split, index, random);
        float[] features = render(script, random);
        List<String> annotation = new ArrayList<>(script.glosses().length);
        for (int gloss : script.glosses()) {
            annotation.add(glosses.get(gloss));
        }
        return new SyntheticSample(SyntheticSource.sampleId(split, index), split, script.signer().name(),
                List.copyOf(annotation), script.frames(), features);
    }

    private Random sampleRandom(Split split, int index) {
        if (index < 0 || index >= count(split)) {
            throw new IndexOutOfBoundsException(split + " has " + count(split) + " samples, not index " + index);
        }
        return new Random(Seeds.mix(options.seed(), 0x5A3F + split.getNumber(), index));
    }

    private Script plan(Split split, int index, Random random) {
        List<Signer> candidates = signers(split);
        Signer signer = candidates.get(random.nextInt(candidates.size()));
        int length = options.minGlosses() + random.nextInt(options.maxGlosses() - options.minGlosses() + 1);
        int[] sentence = new int[length];
        int[] starts = new int[length];
        int[] durations = new int[length];
        int leading = options.minRestFrames() + random.nextInt(options.maxRestFrames() - options.minRestFrames() + 1);
        int t = leading;
        for (int i = 0; i < length; i++) {
            if (i > 0 && random.nextDouble() < options.repeatRate()) {
                sentence[i] = sentence[i - 1];
            } else {
                int gloss;
                do {
                    gloss = random.nextInt(signs.length);
                } while (i > 0 && gloss == sentence[i - 1]);
                sentence[i] = gloss;
            }
            int base = options.minFramesPerGloss()
                    + random.nextInt(options.maxFramesPerGloss() - options.minFramesPerGloss() + 1);
            starts[i] = t;
            durations[i] = Math.max(2, (int) Math.round(base / signer.speed()));
            t += durations[i];
        }
        int trailing = options.minRestFrames() + random.nextInt(options.maxRestFrames() - options.minRestFrames() + 1);
        return new Script(signer, sentence, starts, durations, leading, trailing, t + trailing);
    }

    // ------------------------------------------------------------------------------------------------ rendering

    /** Where a hand is and what it looks like, in body units, for a right-handed signer. */
    private static final class HandState {
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
    }

    /** Both hands plus the mouth opening (body units) at one moment. */
    private static final class Pose {
        final HandState dominant = new HandState();
        final HandState other = new HandState();
        double mouth;

        void lerp(Pose a, Pose b, double w) {
            dominant.lerp(a.dominant, b.dominant, w);
            other.lerp(a.other, b.other, w);
            mouth = a.mouth + w * (b.mouth - a.mouth);
        }
    }

    /** One occurrence of a sign (or a rest) in a sentence, with its own small variations. */
    private final class Occurrence {
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

        Occurrence(Sign sign, int start, int length, Signer signer, Random random) {
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
        void pose(double u, Pose out) {
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
                out.dominant.curl[k] = clamp01(out.dominant.curl[k] + curlShift[k]);
            }
            switch (sign.twoHanded) {
                case MIRRORED -> out.other.mirror(out.dominant);
                case ALTERNATING -> {
                    sign.dominant(1 - warped, amplitude, shift, out.other);
                    out.other.mirror(copy(out.other));
                }
                case BASE_HAND -> {
                    double[] location = LOCATIONS[sign.location];
                    out.other.wrist[0] = 0.25 + shift[0];
                    out.other.wrist[1] = location[1] + 0.45 + shift[1];
                    out.other.wrist[2] = location[2] + shift[2];
                    System.arraycopy(HANDSHAPES[0], 0, out.other.curl, 0, 5);
                    out.other.roll = -1.45;
                    out.other.yaw = 1.2;
                }
                default -> {
                    for (int k = 0; k < 3; k++) {
                        out.other.wrist[k] = PASSIVE[k] + passiveShift[k];
                    }
                    System.arraycopy(RELAXED, 0, out.other.curl, 0, 5);
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
            System.arraycopy(RELAXED, 0, hand.curl, 0, 5);
            hand.roll = -side * 2.7; // fingers down, towards the middle
            hand.yaw = 0.6;
        }
    }

    private static HandState copy(HandState hand) {
        HandState copy = new HandState();
        copy.lerp(hand, hand, 0);
        return copy;
    }

    private float[] render(Script script, Random random) {
        Signer signer = script.signer();
        int n = script.glosses().length;
        // the sentence as occurrences: rest, the glosses, rest
        List<Occurrence> parts = new ArrayList<>(n + 2);
        parts.add(new Occurrence(null, 0, script.leadingRest(), signer, random));
        for (int i = 0; i < n; i++) {
            parts.add(new Occurrence(signs[script.glosses()[i]], script.starts()[i], script.durations()[i], signer,
                    random));
        }
        int end = script.frames() - script.trailingRest();
        parts.add(new Occurrence(null, end, script.trailingRest(), signer, random));

        int frames = script.frames();
        boolean[][] missing = missingHands(frames, signer, random);
        double nodAmplitude = 0.05 * random.nextDouble();
        double nodPeriod = 12 + 20 * random.nextDouble();
        double nodPhase = 2 * Math.PI * random.nextDouble();
        double turn = 0.06 * (random.nextDouble() - 0.5);

        float[] features = new float[frames * FeatureLayout.DIMS];
        Pose pose = new Pose();
        Pose a = new Pose();
        Pose b = new Pose();
        double[] body = new double[3 * (POSE + 2 * HAND + FACE)];
        double[] handLocalZ = new double[2 * HAND];
        int part = 0;
        for (int t = 0; t < frames; t++) {
            while (part + 1 < parts.size() && t >= parts.get(part + 1).start) {
                part++;
            }
            Occurrence current = parts.get(part);
            current.pose(progress(current, t), pose);
            // co-articulation: within `half` frames of a boundary the two neighbours blend
            Occurrence previous = part > 0 ? parts.get(part - 1) : null;
            Occurrence next = part + 1 < parts.size() ? parts.get(part + 1) : null;
            if (next != null && half(current, next) > 0 && t >= next.start - half(current, next)) {
                int h = half(current, next);
                current.pose(progress(current, t), a);
                next.pose(progress(next, t), b);
                pose.lerp(a, b, smoothstep((t + 0.5 - (next.start - h)) / (2.0 * h)));
            } else if (previous != null && half(previous, current) > 0 && t < current.start + half(previous, current)) {
                int h = half(previous, current);
                previous.pose(progress(previous, t), a);
                current.pose(progress(current, t), b);
                pose.lerp(a, b, smoothstep((t + 0.5 - (current.start - h)) / (2.0 * h)));
            }
            double nod = nodAmplitude * Math.sin(2 * Math.PI * t / nodPeriod + nodPhase);
            place(pose, signer.leftHanded(), nod, turn, body, handLocalZ);

            int row = t * FeatureLayout.DIMS;
            double tremorX = options.tremor() * random.nextGaussian();
            double tremorY = options.tremor() * random.nextGaussian();
            double cx = 0.5 + signer.offsetX() + tremorX;
            double cy = 0.44 + signer.offsetY() + tremorY;
            double unit = UNIT * signer.scale();
            for (int landmark = 0; landmark < POSE + 2 * HAND + FACE; landmark++) {
                boolean hand = landmark >= LEFT_HAND_FIRST && landmark < FACE_FIRST;
                int handIndex = hand ? (landmark - LEFT_HAND_FIRST) / HAND : -1;
                if (hand && missing[handIndex][t]) {
                    continue; // MediaPipe reports an undetected hand as 21 x 3 zeros
                }
                double z = hand ? handLocalZ[landmark - LEFT_HAND_FIRST] : body[3 * landmark + 2];
                int c = row + 3 * landmark;
                features[c] = (float) (cx + unit * body[3 * landmark] + options.noise() * random.nextGaussian());
                features[c + 1] = (float) (cy + unit * body[3 * landmark + 1] + options.noise() * random.nextGaussian());
                features[c + 2] = (float) (unit * z + options.noise() * random.nextGaussian());
            }
        }
        TemporalFeatures.derive(features, frames);
        return features;
    }

    private static double progress(Occurrence occurrence, int t) {
        return (t + 0.5 - occurrence.start) / occurrence.length;
    }

    /** Frames on either side of the boundary between two occurrences over which they blend (0: none). */
    private int half(Occurrence a, Occurrence b) {
        if (options.coarticulationFrames() == 0) {
            return 0;
        }
        // a gloss gives at most half its frames to a blend; a rest (holding still) may give all of them, so the
        // hands rise from rest and sink back over a few frames instead of jumping
        int fromA = a.sign == null ? a.length : a.length / 2;
        int fromB = b.sign == null ? b.length : b.length / 2;
        return Math.max(1, Math.min(options.coarticulationFrames(), Math.min(fromA, fromB)));
    }

    /** Per hand block (0 left, 1 right), the frames on which it is not detected. */
    private boolean[][] missingHands(int frames, Signer signer, Random random) {
        boolean[][] missing = new boolean[2][frames];
        double rate = options.missingHandRate();
        // runs of 1..4 frames (mean 2.5) started on a detected frame with probability q give the share `rate`
        double q = rate / (2.5 * (1 - rate));
        for (int h = 0; h < 2; h++) {
            int t = 0;
            while (t < frames) {
                if (rate > 0 && random.nextDouble() < q) {
                    int run = 1 + random.nextInt(4);
                    for (int k = 0; k < run && t < frames; k++, t++) {
                        missing[h][t] = true;
                    }
                }
                t++;
            }
        }
        if (random.nextDouble() < options.outOfFrameRate()) {
            int other = signer.leftHanded() ? 1 : 0;
            Arrays.fill(missing[other], true);
        }
        return missing;
    }

    /**
     * Every landmark in body units (x to the signer's left, y down, z towards the camera negative; the shoulders'
     * centre at 0, half a shoulder width = 1); hands' z also relative to their wrist in {@code handLocalZ}.
     */
    private void place(Pose pose, boolean leftHanded, double nod, double turn, double[] body, double[] handLocalZ) {
        // the hands: the right-handed pose, mirrored for a left-handed signer (the dominant hand becomes the left)
        double mirror = leftHanded ? -1 : 1;
        int dominantFirst = leftHanded ? LEFT_HAND_FIRST : RIGHT_HAND_FIRST;
        int otherFirst = leftHanded ? RIGHT_HAND_FIRST : LEFT_HAND_FIRST;
        hand(pose.dominant, 1, mirror, body, dominantFirst, handLocalZ);
        hand(pose.other, -1, mirror, body, otherFirst, handLocalZ);

        // pose: head, shoulders, arms following the hands, hips and legs (below the image, as MediaPipe reports them)
        double[][] head = {{0, -1.45, -0.6}, {0.1, -1.62, -0.5}, {0.17, -1.63, -0.5}, {0.24, -1.62, -0.45},
                {-0.1, -1.62, -0.5}, {-0.17, -1.63, -0.5}, {-0.24, -1.62, -0.45}, {0.45, -1.55, -0.1},
                {-0.45, -1.55, -0.1}, {0.12, -1.28, -0.5}, {-0.12, -1.28, -0.5}};
        for (int p = 0; p < head.length; p++) {
            set(body, p, head[p][0] + turn, head[p][1] + nod, head[p][2]);
        }
        set(body, 11, 1, 0, 0);
        set(body, 12, -1, 0, 0);
        arm(body, 11, 13, 15, LEFT_HAND_FIRST, 1);
        arm(body, 12, 14, 16, RIGHT_HAND_FIRST, -1);
        double[][] lower = {{0.6, 2.7, 0}, {-0.6, 2.7, 0}, {0.62, 4.8, 0}, {-0.62, 4.8, 0}, {0.62, 6.8, 0.1},
                {-0.62, 6.8, 0.1}, {0.64, 7.0, 0.2}, {-0.64, 7.0, 0.2}, {0.66, 7.1, -0.3}, {-0.66, 7.1, -0.3}};
        for (int p = 0; p < lower.length; p++) {
            set(body, 23 + p, lower[p][0], lower[p][1], lower[p][2]);
        }
        // face: the mesh follows the head; the lower lip and jaw open with the mouthing
        for (int k = 0; k < FACE; k++) {
            double[] point = faceMesh[k];
            double open = point[3] > 0 ? pose.mouth * point[3] : 0;
            set(body, FACE_FIRST + k, point[0] + turn, point[1] + nod + open, point[2]);
        }
    }

    /** The pose's shoulder, elbow, wrist and hand points of one arm, following the hand block starting at {@code hand}. */
    private static void arm(double[] body, int shoulder, int elbow, int wrist, int hand, int side) {
        double sx = body[3 * shoulder];
        double sy = body[3 * shoulder + 1];
        double sz = body[3 * shoulder + 2];
        double wx = body[3 * hand];
        double wy = body[3 * hand + 1];
        double wz = body[3 * hand + 2];
        double dx = wx - sx;
        double dy = wy - sy;
        double dz = wz - sz;
        double d = Math.max(1e-6, Math.sqrt(dx * dx + dy * dy + dz * dz));
        double ex = dx / d;
        double ey = dy / d;
        double ez = dz / d;
        double reach = Math.min(d, 0.999 * (UPPER_ARM + FOREARM));
        double along = (UPPER_ARM * UPPER_ARM - FOREARM * FOREARM + reach * reach) / (2 * reach);
        double out = Math.sqrt(Math.max(0, UPPER_ARM * UPPER_ARM - along * along));
        // the elbow bends outwards and down
        double nx = side;
        double ny = 1;
        double nz = 0.3;
        double dot = nx * ex + ny * ey + nz * ez;
        nx -= dot * ex;
        ny -= dot * ey;
        nz -= dot * ez;
        double norm = Math.max(1e-9, Math.sqrt(nx * nx + ny * ny + nz * nz));
        set(body, elbow, sx + along * ex + out * nx / norm, sy + along * ey + out * ny / norm,
                sz + along * ez + out * nz / norm);
        copyLandmark(body, hand, wrist);
        copyLandmark(body, hand + 17, wrist + 2); // pinky
        copyLandmark(body, hand + 5, wrist + 4);  // index
        copyLandmark(body, hand + 2, wrist + 6);  // thumb
    }

    private static void copyLandmark(double[] body, int from, int to) {
        System.arraycopy(body, 3 * from, body, 3 * to, 3);
    }

    // MediaPipe hand: 0 wrist; thumb 1-4 (CMC, MCP, IP, tip); index 5-8, middle 9-12, ring 13-16, pinky 17-20
    // (MCP, PIP, DIP, tip). Palm coordinates: across (towards the thumb), along (towards the fingers), out of the palm.
    private static final double[] FINGER_ACROSS = {0.11, 0.03, -0.05, -0.12};
    private static final double[] FINGER_ALONG = {0.42, 0.44, 0.42, 0.38};
    private static final double[] FINGER_SPLAY = {0.08, 0.0, -0.07, -0.15};
    private static final double[][] FINGER_SEGMENTS = {{0.22, 0.13, 0.10}, {0.25, 0.15, 0.11}, {0.23, 0.14, 0.10},
            {0.18, 0.10, 0.09}};
    private static final double[] FINGER_BEND = {1.4, 1.6, 1.1};
    private static final double[] THUMB_SEGMENTS = {0.16, 0.12, 0.10};

    /**
     * The 21 landmarks of one hand. {@code thumbSide} is +1 for the right-handed pose's dominant (right) hand, whose
     * thumb points to the signer's left when the palm faces the camera, -1 for the other; {@code mirror} -1 mirrors
     * the whole hand (a left-handed signer).
     */
    private static void hand(HandState state, int thumbSide, double mirror, double[] body, int first,
            double[] handLocalZ) {
        double[] local = new double[3 * HAND];
        // palm coordinates (across, along, out)
        double[] p = new double[3];
        int k = 0;
        local[k++] = 0;
        local[k++] = 0;
        local[k++] = 0;
        // thumb: from the CMC joint out at an angle that closes across the palm as it curls
        double thumbCurl = state.curl[0];
        double angle = 0.9 - 1.6 * thumbCurl;
        p[0] = 0.1;
        p[1] = 0.1;
        p[2] = 0;
        local[k++] = p[0];
        local[k++] = p[1];
        local[k++] = p[2];
        double bend = 0;
        for (int s = 0; s < 3; s++) {
            bend += thumbCurl * 0.5;
            p[0] += THUMB_SEGMENTS[s] * Math.sin(angle) * Math.cos(bend);
            p[1] += THUMB_SEGMENTS[s] * Math.cos(angle) * Math.cos(bend);
            p[2] += THUMB_SEGMENTS[s] * Math.sin(bend);
            local[k++] = p[0];
            local[k++] = p[1];
            local[k++] = p[2];
        }
        for (int f = 0; f < 4; f++) {
            p[0] = FINGER_ACROSS[f];
            p[1] = FINGER_ALONG[f];
            p[2] = 0;
            local[k++] = p[0];
            local[k++] = p[1];
            local[k++] = p[2];
            double phi = 0;
            for (int s = 0; s < 3; s++) {
                phi += state.curl[f + 1] * FINGER_BEND[s];
                double len = FINGER_SEGMENTS[f][s];
                p[0] += len * Math.sin(FINGER_SPLAY[f]) * Math.cos(phi);
                p[1] += len * Math.cos(FINGER_SPLAY[f]) * Math.cos(phi);
                p[2] += len * Math.sin(phi);
                local[k++] = p[0];
                local[k++] = p[1];
                local[k++] = p[2];
            }
        }
        double cosYaw = Math.cos(state.yaw);
        double sinYaw = Math.sin(state.yaw);
        double cosRoll = Math.cos(state.roll);
        double sinRoll = Math.sin(state.roll);
        for (int j = 0; j < HAND; j++) {
            double across = thumbSide * local[3 * j];
            double along = local[3 * j + 1];
            double outOfPalm = local[3 * j + 2];
            // turn the palm about the fingers' axis, then point the fingers (roll in the image plane)
            double x0 = across * cosYaw - thumbSide * outOfPalm * sinYaw;
            double w0 = outOfPalm * cosYaw + thumbSide * across * sinYaw;
            double x = x0 * cosRoll + along * sinRoll;
            double y = x0 * sinRoll - along * cosRoll;
            double z = -w0; // out of a palm that faces the camera is towards it: negative z
            set(body, first + j, mirror * (state.wrist[0] + x), state.wrist[1] + y, state.wrist[2] + z);
            handLocalZ[first - LEFT_HAND_FIRST + j] = z;
        }
    }

    private static void set(double[] body, int landmark, double x, double y, double z) {
        body[3 * landmark] = x;
        body[3 * landmark + 1] = y;
        body[3 * landmark + 2] = z;
    }

    /** 468 points on the front of an ellipsoid around the head; [3] is how far the point opens with the mouth. */
    private static double[][] faceMesh() {
        double[][] mesh = new double[FACE][4];
        int rows = 18;
        int columns = 26;
        for (int i = 0; i < rows; i++) {
            double lat = Math.toRadians(-75 + 150.0 * i / (rows - 1));
            for (int j = 0; j < columns; j++) {
                double lon = Math.toRadians(-80 + 160.0 * j / (columns - 1));
                double x = 0.42 * Math.sin(lon) * Math.cos(lat);
                double y = 0.58 * Math.sin(lat);
                double z = -0.35 * Math.cos(lon) * Math.cos(lat);
                double[] point = mesh[i * columns + j];
                point[0] = x;
                point[1] = -1.55 + y;
                point[2] = z;
                // the lower lip and chin (lower face, near the middle) open with the mouth, the chin the most
                point[3] = y > 0.3 && Math.abs(x) < 0.16 ? (y - 0.3) / 0.28 : 0;
            }
        }
        return mesh;
    }

    private static double smoothstep(double x) {
        x = Math.min(1, Math.max(0, x));
        return x * x * (3 - 2 * x);
    }

    private static double clamp01(double x) {
        return Math.min(1, Math.max(0, x));
    }

    // ------------------------------------------------------------------------------------------------ the signs

    /**
     * One gloss's sign: hand shape (start and end), location, movement (kind, direction, size, repetitions, plane,
     * reversed), orientation (roll and twist, yaw) and the other hand's part.
     */
    record Sign(int handshape, int endHandshape, int location, int movement, double direction, double size,
            double bulge, int repetitions, boolean horizontal, boolean reversed, double roll, double twist,
            double yaw, int twoHanded) {

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
            double e = smoothstep(m);
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
                out.curl[f] = clamp01(curl + (f > 0 ? wiggle * (f % 2 == 0 ? 1 : -1) : 0));
            }
            out.roll = roll + twist * e;
            out.yaw = yaw;
        }
    }

    /**
     * {@code java ... SignerHeldOutDataset OUT_DIR [seed] [train] [dev] [test]}: writes the PHOENIX layout (the
     * defaults of {@link SignerHeldOutOptions#defaults()} for what is not given).
     */
    public static void main(String[] args) {
        if (args.length < 1) {
            System.err.println("usage: SignerHeldOutDataset OUT_DIR [seed] [train] [dev] [test]");
            System.exit(2);
        }
        SignerHeldOutOptions options = SignerHeldOutOptions.defaults();
        if (args.length > 1) {
            options = options.withSeed(Long.parseLong(args[1]));
        }
        if (args.length > 4) {
            options = options.withSamples(Integer.parseInt(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]));
        }
        Path root = Path.of(args[0]);
        new SignerHeldOutDataset(options).writePhoenix(root);
        System.out.println("wrote " + options + " to " + root.toAbsolutePath());
    }
}
