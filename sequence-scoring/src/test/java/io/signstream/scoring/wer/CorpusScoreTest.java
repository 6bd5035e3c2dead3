package io.signstream.scoring.wer;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CorpusScoreTest {

    private static List<String> glosses(String text) {
        return text.isBlank() ? List.of() : List.of(text.trim().split(" +"));
    }

    @Test
    void corpusWerWeighsSentencesByReferenceLength() {
        // 1 error in a 1-gloss sentence and 0 errors in a 9-gloss sentence: 1/10 = 10 %, not (100+0)/2 = 50 %.
        CorpusScore score = new CorpusScore();
        score.add("short", glosses("A"), glosses("B"));
        score.add("long", glosses("A B C D E F G H I"), glosses("A B C D E F G H I"));
        assertEquals(0.10, score.wer(), 1e-12);
        assertEquals(1, score.substitutions());
        assertEquals(10, score.referenceLength());
        assertEquals(2, score.sentences());
        assertEquals(1, score.sentenceErrors());
        assertEquals(0.5, score.sentenceErrorRate(), 1e-12);
    }

    @Test
    void countsAddUpOverSamples() {
        CorpusScore score = new CorpusScore();
        score.add("s1", glosses("X Y X"), glosses("X Z"));      // 1 S, 1 D, N=3
        score.add("s2", glosses("X"), glosses("X X Y Y"));      // 3 I, N=1
        score.add("s3", glosses("A B C"), glosses(""));         // 3 D, N=3
        score.add("s4", glosses("A B"), glosses("A B"));        // correct, N=2
        assertEquals(1, score.substitutions());
        assertEquals(4, score.deletions());
        assertEquals(3, score.insertions());
        assertEquals(8, score.errors());
        assertEquals(9, score.referenceLength());
        assertEquals(9 - 1 - 4, score.corrects());
        assertEquals(2 + 4 + 0 + 2, score.hypothesisLength());
        assertEquals(8.0 / 9.0, score.wer(), 1e-12);
        assertEquals(3, score.sentenceErrors());
        assertEquals(0.75, score.sentenceErrorRate(), 1e-12);

        CorpusScore.Summary summary = score.summary();
        assertEquals(4, summary.sentences());
        assertEquals(8, summary.errors());
        assertEquals(8.0 / 9.0, summary.wer(), 1e-12);

        assertEquals(List.of("s1", "s2", "s3", "s4"),
                score.samples().stream().map(SampleScore::sampleId).toList());
        Alignment s1 = score.sample("s1").orElseThrow().alignment();
        assertEquals(List.of(AlignedPair.correct("X"), AlignedPair.deletion("Y"), AlignedPair.substitution("X", "Z")),
                s1.pairs());
        assertTrue(score.sample("missing").isEmpty());
    }

    @Test
    void emptyCorpusAndEmptyReferences() {
        CorpusScore empty = new CorpusScore();
        assertEquals(0.0, empty.wer());
        assertEquals(0.0, empty.sentenceErrorRate());

        // Like sclite: a sentence with no reference glosses counts its insertions and is a sentence error.
        CorpusScore onlyEmptyReferences = new CorpusScore();
        onlyEmptyReferences.add("a", List.of(), glosses("Q"));
        onlyEmptyReferences.add("b", List.of(), List.of());
        assertEquals(1, onlyEmptyReferences.insertions());
        assertEquals(0, onlyEmptyReferences.referenceLength());
        assertEquals(Double.POSITIVE_INFINITY, onlyEmptyReferences.wer());
        assertEquals(0.5, onlyEmptyReferences.sentenceErrorRate(), 1e-12);
    }

    @Test
    void duplicateSampleIdIsRefused() {
        CorpusScore score = new CorpusScore();
        score.add("s1", glosses("A"), glosses("A"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> score.add("s1", glosses("A"), glosses("B")));
        assertTrue(e.getMessage().contains("s1"));
        assertEquals(1, score.sentences());
    }

    @Test
    void cleanupIsOffByDefaultAndAppliedToBothSidesWhenAsked() {
        List<String> reference = glosses("loc-NORD REGEN");
        List<String> hypothesis = glosses("NORD REGEN-PLUSPLUS __PU__");

        CorpusScore plain = new CorpusScore();
        plain.add("s", reference, hypothesis);
        assertEquals(3, plain.errors());

        CorpusScore cleaned = CorpusScore.withPhoenixCleanup();
        Alignment a = cleaned.add("s", reference, hypothesis);
        assertEquals(0, cleaned.errors());
        assertEquals(glosses("NORD REGEN"), a.reference());
    }
}
