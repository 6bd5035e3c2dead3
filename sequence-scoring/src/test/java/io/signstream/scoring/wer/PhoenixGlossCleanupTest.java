package io.signstream.scoring.wer;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One case per rule. Every expected value was also produced by the Python port of the official sed script
 * ({@code clean_phoenix_2014} of SignJoey), run on the same sentence, as an independent reference.
 */
class PhoenixGlossCleanupTest {

    private static void assertCleaned(String expected, String input) {
        List<String> glosses = input.isBlank() ? List.of() : List.of(input.split(" "));
        List<String> cleaned = PhoenixGlossCleanup.clean(glosses);
        assertEquals(expected.isBlank() ? List.of() : List.of(expected.split(" ")), cleaned, "clean(" + input + ")");
    }

    @Test
    void annotationPrefixesAreStripped() {
        assertCleaned("NORD KOMMEN WAS MEIN IX REGEN", "loc-NORD cl-KOMMEN qu-WAS poss-MEIN lh-IX REGEN");
    }

    @Test
    void annotationSpellingsAreFixed() {
        assertCleaned("SONNE HABEN SONNE", "S0NNE HABEN2 SONNE");
    }

    @Test
    void emotionPalmUpAndLeftHandMarkersAreRemoved() {
        assertCleaned("REGEN SONNE", "__EMOTION__ REGEN __PU__ SONNE __LEFTHAND__");
        assertCleaned("", "__PU__ __EMOTION__");
    }

    @Test
    void otherMarkersStay() {
        assertCleaned("HEUTE __ON__ REGEN __OFF__", "HEUTE __ON__ REGEN __OFF__");
    }

    @Test
    void wieAussehenBecomesOneGloss() {
        assertCleaned("WIE-AUSSEHEN MORGEN", "WIE AUSSEHEN MORGEN");
    }

    @Test
    void zeigenBecomesZeigenBildschirm() {
        assertCleaned("ZEIGEN-BILDSCHIRM WETTER", "ZEIGEN WETTER");
        assertCleaned("WETTER ZEIGEN-BILDSCHIRM", "WETTER ZEIGEN");
        // As in the original, the rule has no word boundary in front.
        assertCleaned("AUFZEIGEN-BILDSCHIRM MORGEN", "AUFZEIGEN MORGEN");
    }

    @Test
    void fingerspelledLettersAreJoined() {
        assertCleaned("HEUTE A+B MORGEN", "HEUTE A B MORGEN");
        assertCleaned("X SCH+U+Y", "X SCH U Y");
        assertCleaned("HEUTE N+NN MORGEN", "HEUTE N NN MORGEN");
        // The original's second letter rule rewrites the '+' before its match into a space, so a sentence
        // starting with four letters ends up as "A B+C+D"; kept for comparability with published numbers.
        assertCleaned("A B+C+D", "A B C D");
    }

    @Test
    void raumSuffixIsDropped() {
        assertCleaned("SUED NORD WEST RAUM", "SUED NORDRAUM WESTRAUM RAUM");
    }

    @Test
    void plusPlusIsRemoved() {
        assertCleaned("REGEN SCHNEE", "REGEN-PLUSPLUS SCHNEE-PLUSPLUS");
    }

    @Test
    void consecutiveRepeatsAreCollapsed() {
        assertCleaned("REGEN SONNE REGEN", "REGEN REGEN REGEN REGEN REGEN SONNE REGEN");
        assertCleaned("WIE-AUSSEHEN A+B+A+B", "WIE-AUSSEHEN WIE-AUSSEHEN A+B A+B");
        // A repeat that appears once a marker between the two is removed.
        assertCleaned("IX REGEN", "IX REGEN __PU__ REGEN");
    }

    @Test
    void emptyStaysEmptyAndInputIsNotChanged() {
        assertCleaned("", "");
        List<String> input = new ArrayList<>(List.of("loc-NORD", "REGEN"));
        PhoenixGlossCleanup.clean(input);
        assertEquals(List.of("loc-NORD", "REGEN"), input);
    }
}
