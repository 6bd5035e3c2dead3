package io.signstream.scoring.wer;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.signstream.scoring.wer.AlignedPair.correct;
import static io.signstream.scoring.wer.AlignedPair.deletion;
import static io.signstream.scoring.wer.AlignedPair.insertion;
import static io.signstream.scoring.wer.AlignedPair.substitution;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hand-worked alignments; the DP costs in the comments are sclite's (sub 4, del 3, ins 3). */
class WordErrorRateTest {

    private static List<String> glosses(String text) {
        return text.isBlank() ? List.of() : List.of(text.trim().split(" +"));
    }

    private static Alignment align(String reference, String hypothesis) {
        return WordErrorRate.align(glosses(reference), glosses(hypothesis));
    }

    private static void assertCounts(Alignment a, int s, int d, int i, int nRef) {
        assertEquals(s, a.substitutions(), "substitutions of " + a.pairs());
        assertEquals(d, a.deletions(), "deletions of " + a.pairs());
        assertEquals(i, a.insertions(), "insertions of " + a.pairs());
        assertEquals(nRef, a.referenceLength(), "N_ref");
    }

    @Test
    void identicalSequencesHaveNoErrors() {
        Alignment a = align("HEUTE REGEN NORD STARK", "HEUTE REGEN NORD STARK");
        assertCounts(a, 0, 0, 0, 4);
        assertEquals(0.0, a.wer());
        assertTrue(a.isCorrect());
        assertEquals(List.of(correct("HEUTE"), correct("REGEN"), correct("NORD"), correct("STARK")), a.pairs());
    }

    @Test
    void emptyHypothesisIsAllDeletions() {
        Alignment a = align("A B C", "");
        assertCounts(a, 0, 3, 0, 3);
        assertEquals(1.0, a.wer());
        assertEquals(List.of(deletion("A"), deletion("B"), deletion("C")), a.pairs());
    }

    @Test
    void oneReferenceGlossAgainstFourHypothesisGlossesIsThreeInsertions() {
        // X vs X X Y Y: cost 9 = three insertions; keeping X correct. WER = 3/1.
        Alignment a = align("X", "X X Y Y");
        assertCounts(a, 0, 0, 3, 1);
        assertEquals(3.0, a.wer());
        assertEquals(4, a.hypothesisLength());
        // sclite's tie rule (diagonal first) matches the reference X with the second hypothesis X.
        assertEquals(List.of(insertion("X"), correct("X"), insertion("Y"), insertion("Y")), a.pairs());
    }

    @Test
    void substitutionAndDeletion() {
        // X Y X vs X Z: X correct, then {Y,X} vs {Z}: one substitution + one deletion (cost 7).
        Alignment a = align("X Y X", "X Z");
        assertCounts(a, 1, 1, 0, 3);
        assertEquals(2.0 / 3.0, a.wer(), 1e-12);
        // Which ref gloss became which hyp gloss (sclite prints: C D S).
        assertEquals(List.of(correct("X"), deletion("Y"), substitution("X", "Z")), a.pairs());
        assertEquals(glosses("X Y X"), a.reference());
        assertEquals(glosses("X Z"), a.hypothesis());
    }

    @Test
    void substitutionIsPreferredToDeletionPlusInsertion() {
        // A B vs C D: two substitutions cost 8, any deletion+insertion pair costs 6 more per shift.
        assertCounts(align("A B", "C D"), 2, 0, 0, 2);
    }

    @Test
    void shiftedSequenceBecomesDeletionPlusInsertionNotTwoSubstitutions() {
        // A B vs B C: unit-cost Levenshtein finds 2 errors either as S S or as D C I; sclite's weights
        // decide: S S costs 8, D(A) C(B) I(C) costs 6.
        Alignment a = align("A B", "B C");
        assertCounts(a, 0, 1, 1, 2);
        assertEquals(List.of(deletion("A"), correct("B"), insertion("C")), a.pairs());
    }

    @Test
    void scliteWeightsCanCostMoreErrorsThanUnitLevenshtein() {
        // A B B D C vs D C C A B: five substitutions (5 errors) cost 20, while deleting A B B, keeping
        // D and C, and inserting C A B costs 6 x 3 = 18: sclite reports 6 errors. Checked with sclite 2.4.10.
        Alignment a = align("A B B D C", "D C C A B");
        assertCounts(a, 0, 3, 3, 5);
        assertEquals(List.of(deletion("A"), deletion("B"), deletion("B"), correct("D"), insertion("C"),
                correct("C"), insertion("A"), insertion("B")), a.pairs());
    }

    @Test
    void emptyReferenceDefinesRateByConvention() {
        Alignment nothing = align("", "");
        assertCounts(nothing, 0, 0, 0, 0);
        assertEquals(0.0, nothing.wer());
        assertTrue(nothing.pairs().isEmpty());

        Alignment inserted = align("", "A B");
        assertCounts(inserted, 0, 0, 2, 0);
        assertEquals(Double.POSITIVE_INFINITY, inserted.wer());
    }

    @Test
    void comparisonIsCaseSensitive() {
        assertCounts(align("REGEN", "regen"), 1, 0, 0, 1);
    }

    @Test
    void nullGlossIsRefused() {
        assertThrows(NullPointerException.class, () -> WordErrorRate.align(java.util.Arrays.asList("A", null),
                List.of("A")));
        assertThrows(NullPointerException.class, () -> WordErrorRate.align(null, List.of()));
    }

    @Test
    void longSentencesStayConsistent() {
        // 150 glosses with every 10th replaced and every 25th dropped: counts add up with the pairs.
        StringBuilder ref = new StringBuilder();
        StringBuilder hyp = new StringBuilder();
        int expectedSubstitutions = 0;
        int expectedDeletions = 0;
        for (int k = 0; k < 150; k++) {
            String gloss = "G" + k;
            ref.append(gloss).append(' ');
            if (k % 25 == 24) {
                expectedDeletions++;
            } else if (k % 10 == 9) {
                hyp.append("OTHER").append(k).append(' ');
                expectedSubstitutions++;
            } else {
                hyp.append(gloss).append(' ');
            }
        }
        Alignment a = align(ref.toString(), hyp.toString());
        assertCounts(a, expectedSubstitutions, expectedDeletions, 0, 150);
    }

    @Test
    void alignedPairRefusesInconsistentOperations() {
        assertThrows(IllegalArgumentException.class, () -> new AlignedPair(EditOperation.CORRECT, "A", "B"));
        assertThrows(IllegalArgumentException.class, () -> new AlignedPair(EditOperation.SUBSTITUTION, "A", "A"));
        assertThrows(IllegalArgumentException.class, () -> new AlignedPair(EditOperation.DELETION, "A", "B"));
        assertThrows(IllegalArgumentException.class, () -> new AlignedPair(EditOperation.INSERTION, "A", "B"));
    }
}
