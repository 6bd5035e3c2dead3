package io.signstream.scoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VocabularyTest {

    private static final List<List<String>> ANNOTATIONS = List.of(
            List.of("REGEN", "NORD", "REGEN"),
            List.of("SONNE", "__ON__", "NORD"),
            List.of());

    @Test
    void glossesGetIdsFromOneInSortedOrder() {
        Vocabulary vocabulary = Vocabulary.fromGlossSequences(ANNOTATIONS);
        assertEquals(List.of("NORD", "REGEN", "SONNE", "__ON__"), vocabulary.glosses());
        assertEquals(4, vocabulary.size());
        assertEquals(5, vocabulary.classCount());
        assertEquals(1, vocabulary.id("NORD"));
        assertEquals(4, vocabulary.id("__ON__"));
        assertEquals("REGEN", vocabulary.gloss(2));
        assertTrue(vocabulary.contains("SONNE"));
        assertFalse(vocabulary.contains("SCHNEE"));
    }

    @Test
    void ofKeepsTheGivenOrder() {
        Vocabulary vocabulary = Vocabulary.of(List.of("Z", "A"));
        assertEquals(1, vocabulary.id("Z"));
        assertEquals(2, vocabulary.id("A"));
    }

    @Test
    void encodeAndDecodeAreInverse() {
        Vocabulary vocabulary = Vocabulary.fromGlossSequences(ANNOTATIONS);
        List<String> sentence = List.of("SONNE", "NORD", "NORD", "__ON__");
        int[] ids = vocabulary.encode(sentence);
        assertArrayEquals(new int[] {3, 1, 1, 4}, ids);
        assertEquals(sentence, vocabulary.decode(ids));
        assertEquals(List.of(), vocabulary.decode(new int[0]));
    }

    @Test
    void unknownGlossAndBadIdsAreRefused() {
        Vocabulary vocabulary = Vocabulary.fromGlossSequences(ANNOTATIONS);
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> vocabulary.encode(List.of("NORD", "SCHNEE")));
        assertTrue(unknown.getMessage().contains("SCHNEE"), unknown.getMessage());
        IllegalArgumentException blank = assertThrows(IllegalArgumentException.class,
                () -> vocabulary.decode(new int[] {1, 0}));
        assertTrue(blank.getMessage().contains("blank"), blank.getMessage());
        assertThrows(IllegalArgumentException.class, () -> vocabulary.decode(new int[] {5}));
        assertThrows(IllegalArgumentException.class, () -> vocabulary.decode(new int[] {-1}));
    }

    @Test
    void invalidGlossesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.of(List.of("A", "A")));
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.of(List.of("A", "")));
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.of(List.of("A B")));
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.of(java.util.Arrays.asList("A", null)));
    }

    @Test
    void jsonRoundTripAndShape() throws Exception {
        Vocabulary vocabulary = Vocabulary.fromGlossSequences(ANNOTATIONS);
        byte[] json = vocabulary.toJson();
        JsonNode root = new ObjectMapper().readTree(json);
        assertEquals(0, root.get("blank").intValue());
        assertEquals(4, root.get("glosses").size());
        assertEquals("NORD", root.get("glosses").get(0).textValue());

        Vocabulary back = Vocabulary.fromJson(json);
        assertEquals(vocabulary, back);
        assertEquals(vocabulary.glosses(), back.glosses());
        assertEquals(3, back.id("SONNE"));

        Vocabulary umlauts = Vocabulary.of(List.of("MÜNCHEN", "ÄHNLICH"));
        assertEquals(umlauts, Vocabulary.fromJson(umlauts.toJson()));
    }

    @Test
    void badJsonIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.fromJson(bytes("not json")));
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.fromJson(bytes("{\"blank\":1,\"glosses\":[\"A\"]}")));
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.fromJson(bytes("{\"glosses\":[\"A\"]}")));
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.fromJson(bytes("{\"blank\":0}")));
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.fromJson(bytes("{\"blank\":0,\"glosses\":[\"A\",\"A\"]}")));
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.fromJson(bytes("{\"blank\":0,\"glosses\":[1]}")));
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.fromJson(bytes("[]")));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
