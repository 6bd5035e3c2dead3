package io.signstream.scoring.decode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;

import io.signstream.scoring.LogSpace;

/**
 * CTC decoding of one sample's log-probabilities {@code logProbs[frame][class]} (log-softmax output,
 * class 0 = blank, classes 1..V = glosses), returning gloss ids without blanks.
 *
 * <ul>
 *   <li>{@link #greedy(float[][])}: best path: argmax per frame, repeats collapsed, blanks dropped.</li>
 *   <li>{@link #beamSearch(float[][], int)}: CTC prefix beam search: every prefix carries the total
 *       probability of all paths collapsing to it, split into paths ending in blank and in its last label
 *       (so {@code a a} is only reached through a blank between), summed in log-space.</li>
 * </ul>
 * Greedy finds the most probable <em>path</em>; beam search approximates the most probable
 * <em>labelling</em> (the sum over its paths) and finds it exactly when the beam holds every prefix.
 * Because a width-1 beam still ranks prefixes by summed probability, it matches greedy when every frame has a
 * clearly dominant class (a trained model's usual output) but may pick the better labelling when frames
 * are flat.
 *
 * <p>Ties are broken deterministically: higher probability, then shorter prefix, then smaller ids.
 */
public final class CtcDecoder {

    /** The CTC blank class. */
    public static final int BLANK = 0;

    private CtcDecoder() {
    }

    /**
     * Best-path decoding: argmax per frame (the lowest class id on a tie), consecutive repeats collapsed,
     * blanks dropped.
     *
     * @throws IllegalArgumentException for ragged rows, no classes, or NaN
     */
    public static int[] greedy(float[][] logProbs) {
        int classes = checkShape(logProbs);
        int[] out = new int[logProbs.length];
        int length = 0;
        int previous = BLANK;
        for (float[] frame : logProbs) {
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (frame[c] > frame[best]) {
                    best = c;
                }
            }
            if (best != BLANK && best != previous) {
                out[length++] = best;
            }
            previous = best;
        }
        return Arrays.copyOf(out, length);
    }

    /**
     * CTC prefix beam search; the best labelling found.
     *
     * @param beamWidth number of prefixes kept after each frame, at least 1
     * @throws IllegalArgumentException for {@code beamWidth < 1}, ragged rows, no classes, or NaN
     */
    public static int[] beamSearch(float[][] logProbs, int beamWidth) {
        return beamSearchWithScores(logProbs, beamWidth).get(0).labels();
    }

    /**
     * CTC prefix beam search returning the whole final beam, best first, each prefix with the log of the
     * summed probability of its paths that the search kept. When the beam never has to drop a prefix (a
     * width of at least the number of distinct prefixes) these are exact labelling probabilities.
     *
     * @throws IllegalArgumentException for {@code beamWidth < 1}, ragged rows, no classes, or NaN
     */
    public static List<Hypothesis> beamSearchWithScores(float[][] logProbs, int beamWidth) {
        if (beamWidth < 1) {
            throw new IllegalArgumentException("beamWidth must be at least 1, was " + beamWidth);
        }
        int classes = checkShape(logProbs);

        List<Beam> beam = new ArrayList<>();
        beam.add(new Beam(new Prefix(new int[0]), 0.0, Double.NEGATIVE_INFINITY));
        for (float[] frame : logProbs) {
            beam = step(beam, frame, classes, beamWidth);
        }
        List<Hypothesis> result = new ArrayList<>(beam.size());
        for (Beam b : beam) {
            result.add(new Hypothesis(b.prefix.labels.clone(), b.total()));
        }
        return result;
    }

    /**
     * log P(labels | logProbs) by the CTC forward algorithm (the sum over every path that collapses to
     * {@code labels}); {@link Double#NEGATIVE_INFINITY} when no path fits in the frames.
     *
     * @throws IllegalArgumentException for a label outside 1..classes-1, ragged rows, no classes, or NaN
     */
    public static double logLikelihood(float[][] logProbs, int[] labels) {
        int classes = checkShape(logProbs);
        Objects.requireNonNull(labels, "labels");
        for (int label : labels) {
            if (label < 1 || label >= classes) {
                throw new IllegalArgumentException("label " + label + " is outside 1.." + (classes - 1));
            }
        }
        int frames = logProbs.length;
        int states = 2 * labels.length + 1; // blank, l1, blank, l2, ..., blank
        if (frames == 0) {
            return labels.length == 0 ? 0.0 : Double.NEGATIVE_INFINITY;
        }
        double[] alpha = new double[states];
        double[] next = new double[states];
        Arrays.fill(alpha, Double.NEGATIVE_INFINITY);
        alpha[0] = logProbs[0][BLANK];
        if (states > 1) {
            alpha[1] = logProbs[0][labels[0]];
        }
        for (int t = 1; t < frames; t++) {
            for (int s = 0; s < states; s++) {
                int symbol = s % 2 == 0 ? BLANK : labels[s / 2];
                double sum = alpha[s];
                if (s >= 1) {
                    sum = LogSpace.add(sum, alpha[s - 1]);
                }
                if (s >= 2 && symbol != BLANK && symbol != labels[s / 2 - 1]) {
                    sum = LogSpace.add(sum, alpha[s - 2]);
                }
                next[s] = sum + logProbs[t][symbol];
            }
            double[] swap = alpha;
            alpha = next;
            next = swap;
        }
        return states == 1 ? alpha[0] : LogSpace.add(alpha[states - 1], alpha[states - 2]);
    }

    /**
     * One labelling of a beam.
     *
     * @param labels        gloss ids, blanks removed
     * @param logProbability natural log of the summed probability of the paths kept for it
     */
    public record Hypothesis(int[] labels, double logProbability) {

        @Override
        public boolean equals(Object other) {
            return other instanceof Hypothesis that && Arrays.equals(labels, that.labels)
                    && Double.compare(logProbability, that.logProbability) == 0;
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(labels) + Double.hashCode(logProbability);
        }

        @Override
        public String toString() {
            return Arrays.toString(labels) + " log p=" + logProbability;
        }
    }

    private static List<Beam> step(List<Beam> beam, float[] frame, int classes, int beamWidth) {
        // The prefixes of the current beam stay candidates (by a blank, or by repeating their last label);
        // they are also the only extensions that can coincide with another beam entry.
        Map<Prefix, Beam> kept = new HashMap<>(beam.size() * 2);
        for (Beam b : beam) {
            double blank = b.total() + frame[BLANK];
            double repeat = b.prefix.isEmpty() ? Double.NEGATIVE_INFINITY
                    : b.nonBlank + frame[b.prefix.last()];
            kept.put(b.prefix, new Beam(b.prefix, blank, repeat));
        }
        // An extension l+c that is itself in the beam adds to that entry. Find those pairs once per frame
        // (at most beamWidth of them) instead of building l+c for every class.
        List<Map<Integer, Beam>> children = new ArrayList<>(beam.size());
        Map<Prefix, Integer> position = new HashMap<>(beam.size() * 2);
        for (int k = 0; k < beam.size(); k++) {
            children.add(null);
            position.put(beam.get(k).prefix, k);
        }
        for (Beam b : beam) {
            if (!b.prefix.isEmpty()) {
                Integer parent = position.get(b.prefix.parent());
                if (parent != null) {
                    if (children.get(parent) == null) {
                        children.set(parent, new HashMap<>());
                    }
                    children.get(parent).put(b.prefix.last(), kept.get(b.prefix));
                }
            }
        }
        // Fresh extensions l+c of different l are different prefixes, so they need no merging: keep only
        // the beamWidth best of them, without building their label arrays.
        PriorityQueue<Extension> fresh = new PriorityQueue<>(beamWidth + 1, EXTENSION_ORDER.reversed());
        for (int k = 0; k < beam.size(); k++) {
            Beam b = beam.get(k);
            Map<Integer, Beam> inBeam = children.get(k);
            double total = b.total();
            int last = b.prefix.isEmpty() ? BLANK : b.prefix.last();
            for (int c = 1; c < classes; c++) {
                double score = (c == last ? b.blank : total) + frame[c];
                if (score == Double.NEGATIVE_INFINITY) {
                    continue;
                }
                Beam existing = inBeam == null ? null : inBeam.get(c);
                if (existing != null) {
                    existing.nonBlank = LogSpace.add(existing.nonBlank, score);
                    continue;
                }
                if (fresh.size() == beamWidth && score < fresh.peek().score) {
                    continue; // cannot enter the heap (equal scores go on to the tie rules)
                }
                Extension extension = new Extension(b.prefix, c, score);
                if (fresh.size() < beamWidth) {
                    fresh.add(extension);
                } else if (EXTENSION_ORDER.compare(extension, fresh.peek()) < 0) {
                    fresh.poll();
                    fresh.add(extension);
                }
            }
        }
        List<Beam> candidates = new ArrayList<>(kept.size() + fresh.size());
        for (Beam b : kept.values()) {
            if (b.total() != Double.NEGATIVE_INFINITY) {
                candidates.add(b);
            }
        }
        for (Extension e : fresh) {
            candidates.add(new Beam(e.parent.extended(e.label), Double.NEGATIVE_INFINITY, e.score));
        }
        if (candidates.isEmpty()) {
            // Every class had probability 0 at this frame: no path survives; keep the old beam's best so
            // the result stays defined (its probability is -infinity).
            Beam best = beam.stream().sorted(BEAM_ORDER).findFirst().orElseThrow();
            return List.of(new Beam(best.prefix, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY));
        }
        candidates.sort(BEAM_ORDER);
        return candidates.size() > beamWidth ? new ArrayList<>(candidates.subList(0, beamWidth)) : candidates;
    }

    private static final Comparator<Beam> BEAM_ORDER = (a, b) -> {
        int byScore = Double.compare(b.total(), a.total());
        return byScore != 0 ? byScore : a.prefix.compareTo(b.prefix);
    };

    /** Best first, with the same tie rules as {@link #BEAM_ORDER} for the prefix {@code parent + label}. */
    private static final Comparator<Extension> EXTENSION_ORDER = (a, b) -> {
        int byScore = Double.compare(b.score, a.score);
        if (byScore != 0) {
            return byScore;
        }
        int byLength = Integer.compare(a.parent.labels.length, b.parent.labels.length);
        if (byLength != 0) {
            return byLength;
        }
        int byParent = Arrays.compare(a.parent.labels, b.parent.labels);
        return byParent != 0 ? byParent : Integer.compare(a.label, b.label);
    };

    private record Extension(Prefix parent, int label, double score) {
    }

    private static final class Beam {
        final Prefix prefix;
        double blank;    // log P(paths collapsing to prefix and ending in blank)
        double nonBlank; // log P(paths collapsing to prefix and ending in its last label)

        Beam(Prefix prefix, double blank, double nonBlank) {
            this.prefix = prefix;
            this.blank = blank;
            this.nonBlank = nonBlank;
        }

        double total() {
            return LogSpace.add(blank, nonBlank);
        }
    }

    /** A label sequence usable as a map key; ordered by length, then ids. */
    private static final class Prefix implements Comparable<Prefix> {
        final int[] labels;
        final int hash;

        Prefix(int[] labels) {
            this.labels = labels;
            this.hash = Arrays.hashCode(labels);
        }

        boolean isEmpty() {
            return labels.length == 0;
        }

        int last() {
            return labels[labels.length - 1];
        }

        Prefix extended(int label) {
            int[] longer = Arrays.copyOf(labels, labels.length + 1);
            longer[labels.length] = label;
            return new Prefix(longer);
        }

        Prefix parent() {
            return new Prefix(Arrays.copyOf(labels, labels.length - 1));
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Prefix that && hash == that.hash && Arrays.equals(labels, that.labels);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public int compareTo(Prefix other) {
            int byLength = Integer.compare(labels.length, other.labels.length);
            return byLength != 0 ? byLength : Arrays.compare(labels, other.labels);
        }
    }

    private static int checkShape(float[][] logProbs) {
        Objects.requireNonNull(logProbs, "logProbs");
        if (logProbs.length == 0) {
            return 1;
        }
        if (logProbs[0] == null) {
            throw new IllegalArgumentException("logProbs frame 0 is null");
        }
        int classes = logProbs[0].length;
        if (classes == 0) {
            throw new IllegalArgumentException("logProbs has no classes (expected blank + glosses per frame)");
        }
        for (int t = 0; t < logProbs.length; t++) {
            float[] frame = logProbs[t];
            if (frame == null || frame.length != classes) {
                throw new IllegalArgumentException("logProbs frame " + t + " has "
                        + (frame == null ? "no" : String.valueOf(frame.length)) + " classes, frame 0 has " + classes);
            }
            for (int c = 0; c < classes; c++) {
                if (Float.isNaN(frame[c])) {
                    throw new IllegalArgumentException("logProbs[" + t + "][" + c + "] is NaN");
                }
            }
        }
        return classes;
    }
}
