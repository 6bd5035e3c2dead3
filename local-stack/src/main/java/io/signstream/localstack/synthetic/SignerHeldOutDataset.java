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
    private static final List<String> GLOSS_NAMES = List.of("HEUTE", "MORGEN", "REGEN", "SONNE", "WOLKE", "SCHNEE",
            "WIND", "NEBEL", "GEWITTER", "NORD", "SUED", "OST", "WEST", "WARM", "KALT", "FROST", "GRAD", "MINUS",
            "PLUS", "TAG", "NACHT", "KOMMEN", "BLEIBEN", "STARK", "SCHWACH", "WECHSELHAFT", "DEUTSCHLAND", "REGION",
            "BERG", "KUESTE", "AUCH", "NOCH");

    private final SignerHeldOutOptions options;
    private final List<String> glosses;
    private final Sign[] signs;
    private final List<Signer> signers;
    private final SignerBody body = new SignerBody();

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
        SigningPose pose = new SigningPose();
        SigningPose a = new SigningPose();
        SigningPose b = new SigningPose();
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
                pose.lerp(a, b, Easing.smoothstep((t + 0.5 - (next.start - h)) / (2.0 * h)));
            } else if (previous != null && half(previous, current) > 0 && t < current.start + half(previous, current)) {
                int h = half(previous, current);
                previous.pose(progress(previous, t), a);
                current.pose(progress(current, t), b);
                pose.lerp(a, b, Easing.smoothstep((t + 0.5 - (current.start - h)) / (2.0 * h)));
            }
            double nod = nodAmplitude * Math.sin(2 * Math.PI * t / nodPeriod + nodPhase);
            this.body.place(pose, signer.leftHanded(), nod, turn, body, handLocalZ);

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
