package io.signstream.scoring.wer;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Scores a varied corpus with NIST sclite (Debian package {@code sctk}) and with {@link WordErrorRate} /
 * {@link CorpusScore}, and requires the same S, D, I and correct counts per sentence, the same aligned pairs,
 * and the same corpus totals.
 *
 * <p>sclite runs as {@code sclite -r ref.trn trn -h hyp.trn trn -i spu_id -s -o sgml rsum stdout -f 0}:
 * transcript files, case-sensitive ({@code -s}, glosses are case-sensitive tokens), the SGML report for the
 * per-sentence alignment ({@code C|S|D|I,"ref","hyp"} per position) and the raw summary for the corpus totals.
 * No {@code -F}/{@code -D}: fragments and optional deletions are not used by gloss annotations.
 *
 * <p>Skips (visibly: Maven counts the tests as skipped, with the reason in the surefire report) when no
 * sclite binary is found. {@code -Dsclite.path=...} names the binary (and only that one); otherwise
 * {@code SCLITE}, {@code sclite} on the PATH and {@code /usr/lib/sctk/bin/sclite} (where Debian's
 * {@code sctk} package puts it; the package's {@code /usr/bin/sctk} is only a dispatcher script) are tried.
 */
class ScliteAgreementTest {

    private static Path sclite;

    @BeforeAll
    static void findSclite() {
        sclite = locateSclite();
        String message = "sclite agreement test SKIPPED: no sclite binary found (install Debian package 'sctk', "
                + "or set -Dsclite.path / SCLITE)";
        if (sclite == null) {
            System.out.println(message);
        } else {
            System.out.println("sclite agreement test uses " + sclite);
        }
    }

    @Test
    void countsAndAlignmentsAgreeWithScliteOnAVariedCorpus(@TempDir Path dir) throws Exception {
        assumeTrue(sclite != null, "no sclite binary found (install Debian package 'sctk' or set -Dsclite.path)");
        Map<String, List<List<String>>> corpus = variedCorpus(new Random(20_240_611L));

        ScliteReport report = runSclite(dir, corpus);
        assertEquals(corpus.size(), report.paths.size(), "sclite scored every sentence");

        CorpusScore score = new CorpusScore();
        int longSentences = 0;
        for (Map.Entry<String, List<List<String>>> sample : corpus.entrySet()) {
            String id = sample.getKey();
            List<String> reference = sample.getValue().get(0);
            List<String> hypothesis = sample.getValue().get(1);
            Alignment ours = score.add(id, reference, hypothesis);
            List<AlignedPair> theirs = report.paths.get(id);
            assertNotNull(theirs, "sclite has no alignment for " + id);
            Alignment scliteAlignment = toAlignment(theirs, reference.size());
            String context = id + "\n  REF: " + reference + "\n  HYP: " + hypothesis;
            assertEquals(scliteAlignment.substitutions(), ours.substitutions(), "S of " + context);
            assertEquals(scliteAlignment.deletions(), ours.deletions(), "D of " + context);
            assertEquals(scliteAlignment.insertions(), ours.insertions(), "I of " + context);
            assertEquals(scliteAlignment.corrects(), ours.corrects(), "C of " + context);
            assertEquals(theirs, ours.pairs(), "aligned pairs of " + context);
            if (reference.size() >= 100) {
                longSentences++;
            }
        }
        assertTrue(longSentences >= 5, "the corpus holds long sentences");

        assertEquals(report.sentences, score.sentences(), "# Snt");
        assertEquals(report.referenceWords, score.referenceLength(), "# Wrd (N_ref)");
        assertEquals(report.corrects, score.corrects(), "Corr");
        assertEquals(report.substitutions, score.substitutions(), "Sub");
        assertEquals(report.deletions, score.deletions(), "Del");
        assertEquals(report.insertions, score.insertions(), "Ins");
        assertEquals(report.errors, score.errors(), "Err");
        assertEquals(report.sentenceErrors, score.sentenceErrors(), "S.Err");
        System.out.println("sclite agreement on " + corpus.size() + " sentences: " + score);
    }

    @Test
    void emptyReferencesAreCountedLikeSclite(@TempDir Path dir) throws Exception {
        assumeTrue(sclite != null, "no sclite binary found (install Debian package 'sctk' or set -Dsclite.path)");
        Map<String, List<List<String>>> corpus = new LinkedHashMap<>();
        corpus.put("empty_0001", List.of(List.of(), List.of("Q", "R")));
        corpus.put("empty_0002", List.of(List.of(), List.of()));
        ScliteReport report = runSclite(dir, corpus);

        CorpusScore score = new CorpusScore();
        corpus.forEach((id, pair) -> score.add(id, pair.get(0), pair.get(1)));
        assertEquals(0, report.referenceWords);
        assertEquals(report.insertions, score.insertions());
        assertEquals(2, score.insertions());
        assertEquals(report.sentenceErrors, score.sentenceErrors());
        assertEquals(1, score.sentenceErrors());
        // sclite prints counts instead of a percentage here; the library's documented convention:
        assertEquals(Double.POSITIVE_INFINITY, score.wer());
    }

    // ---------------------------------------------------------------------------------------------------
    // The corpus

    private static final List<String> PHOENIX_LIKE = List.of("REGEN", "SONNE", "NORD", "SUED", "WEST", "OST",
            "MORGEN", "HEUTE", "NACHT", "TEMPERATUR", "GRAD", "WOLKE", "SCHNEE", "WIND", "STARK", "MEHR",
            "IX", "KOMMEN", "WIE-AUSSEHEN", "__ON__", "__OFF__", "cl-KOMMEN", "loc-NORD", "A+B", "ZEHN",
            "regen", "Regen", "NEBEL", "GEWITTER", "FREUNDLICH");

    private static Map<String, List<List<String>>> variedCorpus(Random random) {
        Map<String, List<List<String>>> corpus = new LinkedHashMap<>();
        // The listed edge cases.
        add(corpus, "X Y X", "X Z");
        add(corpus, "X", "X X Y Y");
        add(corpus, "A B C", "");
        add(corpus, "", "A B");
        add(corpus, "", "");
        add(corpus, "HEUTE REGEN", "HEUTE REGEN");
        add(corpus, "A B", "B C");
        add(corpus, "A B B D C", "D C C A B");
        add(corpus, "A A A A", "A A");
        add(corpus, "A A", "A A A A A A");
        add(corpus, "A B A B A B", "B A B A B A");
        add(corpus, "REGEN", "regen");
        add(corpus, "", "X X X X X X X X");
        add(corpus, "Y", "X X X X X X X X");
        // Long sentences (100+ glosses), lightly and heavily edited, and against an empty hypothesis.
        for (int k = 0; k < 8; k++) {
            List<String> reference = randomSentence(random, 100 + random.nextInt(80), PHOENIX_LIKE);
            double editRate = k < 4 ? 0.05 : 0.4;
            corpus.put(id(corpus), List.of(reference, edit(random, reference, editRate, PHOENIX_LIKE)));
        }
        corpus.put(id(corpus), List.of(randomSentence(random, 120, PHOENIX_LIKE), List.of()));
        corpus.put(id(corpus), List.of(randomSentence(random, 30, PHOENIX_LIKE),
                randomSentence(random, 140, PHOENIX_LIKE)));
        // Random sentences: small alphabets make many equal-cost alignments (the tie rules matter), the
        // larger one looks like real glosses; hypotheses either edited references or unrelated.
        List<String> tiny = List.of("A", "B");
        List<String> small = List.of("A", "B", "C", "D");
        for (int k = 0; k < 400; k++) {
            List<String> alphabet = switch (k % 3) {
                case 0 -> tiny;
                case 1 -> small;
                default -> PHOENIX_LIKE;
            };
            List<String> reference = randomSentence(random, random.nextInt(16), alphabet);
            List<String> hypothesis = random.nextInt(4) == 0
                    ? randomSentence(random, random.nextInt(16), alphabet)
                    : edit(random, reference, 0.1 + 0.5 * random.nextDouble(), alphabet);
            corpus.put(id(corpus), List.of(reference, hypothesis));
        }
        return corpus;
    }

    private static void add(Map<String, List<List<String>>> corpus, String reference, String hypothesis) {
        corpus.put(id(corpus), List.of(split(reference), split(hypothesis)));
    }

    private static String id(Map<String, ?> corpus) {
        return String.format("corpus_%04d", corpus.size() + 1);
    }

    private static List<String> split(String text) {
        return text.isBlank() ? List.of() : List.of(text.trim().split(" +"));
    }

    private static List<String> randomSentence(Random random, int length, List<String> alphabet) {
        List<String> sentence = new ArrayList<>(length);
        for (int k = 0; k < length; k++) {
            sentence.add(alphabet.get(random.nextInt(alphabet.size())));
        }
        return sentence;
    }

    /** Substitutes, deletes, inserts and repeats glosses, each at about {@code rate}. */
    private static List<String> edit(Random random, List<String> reference, double rate, List<String> alphabet) {
        List<String> hypothesis = new ArrayList<>();
        for (String gloss : reference) {
            double roll = random.nextDouble();
            if (roll < rate / 4) {
                hypothesis.add(alphabet.get(random.nextInt(alphabet.size())));
            } else if (roll < rate / 2) {
                continue;
            } else if (roll < 3 * rate / 4) {
                hypothesis.add(gloss);
                hypothesis.add(alphabet.get(random.nextInt(alphabet.size())));
            } else if (roll < rate) {
                hypothesis.add(gloss);
                hypothesis.add(gloss);
            } else {
                hypothesis.add(gloss);
            }
        }
        return hypothesis;
    }

    // ---------------------------------------------------------------------------------------------------
    // Running sclite and reading its reports

    private record ScliteReport(Map<String, List<AlignedPair>> paths, int sentences, long referenceWords,
                                long corrects, long substitutions, long deletions, long insertions, long errors,
                                int sentenceErrors) {
    }

    private static ScliteReport runSclite(Path dir, Map<String, List<List<String>>> corpus)
            throws IOException, InterruptedException {
        StringBuilder ref = new StringBuilder();
        StringBuilder hyp = new StringBuilder();
        corpus.forEach((id, pair) -> {
            ref.append(String.join(" ", pair.get(0))).append(" (").append(id).append(")\n");
            hyp.append(String.join(" ", pair.get(1))).append(" (").append(id).append(")\n");
        });
        Path refFile = dir.resolve("ref.trn");
        Path hypFile = dir.resolve("hyp.trn");
        Files.writeString(refFile, ref, StandardCharsets.UTF_8);
        Files.writeString(hypFile, hyp, StandardCharsets.UTF_8);

        Path output = dir.resolve("sclite.out");
        Process process = new ProcessBuilder(sclite.toString(), "-r", refFile.toString(), "trn",
                "-h", hypFile.toString(), "trn", "-i", "spu_id", "-s", "-o", "sgml", "rsum", "stdout", "-f", "0")
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "sclite finished within 60 s");
        String text = Files.readString(output, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), "sclite exit status; output:\n" + text);
        return parse(text);
    }

    private static final Pattern PATH = Pattern.compile("<PATH id=\"\\(([^)]*)\\)\"[^>]*>\\n(.*?)\\n?</PATH>",
            Pattern.DOTALL);
    private static final Pattern ENTRY = Pattern.compile("([CSDI]),(?:\"([^\"]*)\")?,(?:\"([^\"]*)\")?");
    private static final Pattern SUM = Pattern.compile("^\\s*\\|\\s*Sum\\s*\\|(.*)\\|(.*)\\|\\s*$",
            Pattern.MULTILINE);

    private static ScliteReport parse(String text) {
        Map<String, List<AlignedPair>> paths = new LinkedHashMap<>();
        Matcher path = PATH.matcher(text);
        while (path.find()) {
            List<AlignedPair> pairs = new ArrayList<>();
            String body = path.group(2).strip();
            if (!body.isEmpty()) {
                for (String entry : body.split(":")) {
                    Matcher m = ENTRY.matcher(entry);
                    assertTrue(m.matches(), "sclite SGML entry '" + entry + "'");
                    pairs.add(switch (m.group(1)) {
                        case "C" -> AlignedPair.correct(m.group(2));
                        case "S" -> AlignedPair.substitution(m.group(2), m.group(3));
                        case "D" -> AlignedPair.deletion(m.group(2));
                        default -> AlignedPair.insertion(m.group(3));
                    });
                }
            }
            paths.put(path.group(1), Collections.unmodifiableList(pairs));
        }
        Matcher sum = SUM.matcher(text);
        assertTrue(sum.find(), "sclite rsum report has a Sum line:\n" + text);
        String[] words = sum.group(1).trim().split("\\s+");
        String[] counts = sum.group(2).trim().split("\\s+");
        return new ScliteReport(paths, Integer.parseInt(words[0]), Long.parseLong(words[1]),
                Long.parseLong(counts[0]), Long.parseLong(counts[1]), Long.parseLong(counts[2]),
                Long.parseLong(counts[3]), Long.parseLong(counts[4]), Integer.parseInt(counts[5]));
    }

    private static Alignment toAlignment(List<AlignedPair> pairs, int referenceLength) {
        int s = 0;
        int d = 0;
        int i = 0;
        for (AlignedPair pair : pairs) {
            switch (pair.operation()) {
                case SUBSTITUTION -> s++;
                case DELETION -> d++;
                case INSERTION -> i++;
                default -> {
                }
            }
        }
        return new Alignment(s, d, i, referenceLength, pairs);
    }

    private static Path locateSclite() {
        List<String> candidates = new ArrayList<>();
        String property = System.getProperty("sclite.path");
        if (property != null && !property.isBlank()) {
            // An explicit choice is the only candidate: a wrong path skips rather than testing another sclite.
            Path file = Path.of(property);
            return Files.isRegularFile(file) && Files.isExecutable(file) ? file : null;
        }
        String environment = System.getenv("SCLITE");
        if (environment != null && !environment.isBlank()) {
            candidates.add(environment);
        }
        String pathVariable = System.getenv("PATH");
        if (pathVariable != null) {
            for (String directory : pathVariable.split(java.io.File.pathSeparator)) {
                if (!directory.isBlank()) {
                    candidates.add(Path.of(directory, "sclite").toString());
                }
            }
        }
        candidates.add("/usr/lib/sctk/bin/sclite");
        candidates.add("/usr/local/bin/sclite");
        for (String candidate : candidates) {
            Path file = Path.of(candidate);
            if (Files.isRegularFile(file) && Files.isExecutable(file)) {
                return file;
            }
        }
        return null;
    }
}
