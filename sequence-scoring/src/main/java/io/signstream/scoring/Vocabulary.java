package io.signstream.scoring;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The mapping between glosses and the class ids of a CTC model.
 *
 * <p>Id {@value #BLANK} is the CTC blank and never a gloss; glosses have ids {@code 1..size()}, so a model
 * needs {@link #classCount()} = {@code size() + 1} output classes. A vocabulary built by
 * {@link #fromGlossSequences(Collection)} orders glosses by {@link String#compareTo(String)} (UTF-16 code
 * units), which makes the ids reproducible from the annotations alone.
 *
 * <p>A gloss is a non-empty string without whitespace (annotations are space-separated). Instances are
 * immutable and thread-safe.
 *
 * <p>JSON form (checkpoints store it as {@code vocabulary.json}): {@code {"blank":0,"glosses":["A","B"]}},
 * glosses in id order starting at id 1.
 */
public final class Vocabulary {

    /** The class id of the CTC blank. */
    public static final int BLANK = 0;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> glosses;
    private final Map<String, Integer> ids;

    private Vocabulary(List<String> glosses) {
        this.glosses = List.copyOf(glosses);
        Map<String, Integer> byGloss = new HashMap<>(glosses.size() * 2);
        for (int i = 0; i < this.glosses.size(); i++) {
            String gloss = this.glosses.get(i);
            checkGloss(gloss, i + 1);
            if (byGloss.put(gloss, i + 1) != null) {
                throw new IllegalArgumentException("gloss '" + gloss + "' appears twice in the vocabulary");
            }
        }
        this.ids = Collections.unmodifiableMap(byGloss);
    }

    /**
     * Every distinct gloss of the annotations, ids assigned in sorted gloss order.
     *
     * @throws IllegalArgumentException when a gloss is null, empty or contains whitespace
     */
    public static Vocabulary fromGlossSequences(Collection<? extends List<String>> annotations) {
        Objects.requireNonNull(annotations, "annotations");
        TreeSet<String> distinct = new TreeSet<>();
        int sequence = 0;
        for (List<String> annotation : annotations) {
            if (annotation == null) {
                throw new IllegalArgumentException("annotation #" + sequence + " is null");
            }
            for (String gloss : annotation) {
                if (gloss == null) {
                    throw new IllegalArgumentException("annotation #" + sequence + " contains a null gloss");
                }
                distinct.add(gloss);
            }
            sequence++;
        }
        return new Vocabulary(new ArrayList<>(distinct));
    }

    /**
     * The glosses exactly in id order: element 0 gets id 1.
     *
     * @throws IllegalArgumentException on a duplicate, null, empty or whitespace-containing gloss
     */
    public static Vocabulary of(List<String> glossesInIdOrder) {
        Objects.requireNonNull(glossesInIdOrder, "glossesInIdOrder");
        for (int i = 0; i < glossesInIdOrder.size(); i++) {
            if (glossesInIdOrder.get(i) == null) {
                throw new IllegalArgumentException("gloss with id " + (i + 1) + " is null");
            }
        }
        return new Vocabulary(glossesInIdOrder);
    }

    /** Number of glosses, the blank excluded. */
    public int size() {
        return glosses.size();
    }

    /** Number of model output classes: the glosses plus the blank. */
    public int classCount() {
        return glosses.size() + 1;
    }

    /** The glosses in id order (element 0 has id 1). */
    public List<String> glosses() {
        return glosses;
    }

    public boolean contains(String gloss) {
        return ids.containsKey(gloss);
    }

    /**
     * The id of a gloss.
     *
     * @throws IllegalArgumentException when the gloss is not in the vocabulary
     */
    public int id(String gloss) {
        Integer id = ids.get(gloss);
        if (id == null) {
            throw new IllegalArgumentException("unknown gloss '" + gloss + "' (not among the " + size()
                    + " glosses of this vocabulary)");
        }
        return id;
    }

    /**
     * The gloss of an id.
     *
     * @throws IllegalArgumentException for the blank (0) or an id outside {@code 1..size()}
     */
    public String gloss(int id) {
        if (id == BLANK) {
            throw new IllegalArgumentException("id 0 is the CTC blank, not a gloss");
        }
        if (id < 1 || id > glosses.size()) {
            throw new IllegalArgumentException("gloss id " + id + " is outside 1.." + glosses.size());
        }
        return glosses.get(id - 1);
    }

    /**
     * Gloss ids of a gloss sequence.
     *
     * @throws IllegalArgumentException naming the first unknown gloss
     */
    public int[] encode(List<String> glossSequence) {
        int[] encoded = new int[glossSequence.size()];
        for (int i = 0; i < encoded.length; i++) {
            encoded[i] = id(glossSequence.get(i));
        }
        return encoded;
    }

    /**
     * Glosses of a sequence of gloss ids (a decoder's output: blanks already removed).
     *
     * @throws IllegalArgumentException for a blank or an out-of-range id
     */
    public List<String> decode(int[] glossIds) {
        List<String> decoded = new ArrayList<>(glossIds.length);
        for (int id : glossIds) {
            decoded.add(gloss(id));
        }
        return List.copyOf(decoded);
    }

    /** UTF-8 JSON {@code {"blank":0,"glosses":[...]}}. */
    public byte[] toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("blank", BLANK);
        ArrayNode array = root.putArray("glosses");
        glosses.forEach(array::add);
        try {
            return JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a vocabulary", e);
        }
    }

    /**
     * Reads the form written by {@link #toJson()}.
     *
     * @throws IllegalArgumentException when the bytes are not such JSON, the blank is not 0, or a gloss is
     *                                  invalid or repeated
     */
    public static Vocabulary fromJson(byte[] json) {
        Objects.requireNonNull(json, "json");
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("vocabulary JSON is not parseable: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("vocabulary JSON is not readable: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("vocabulary JSON must be an object {\"blank\":0,\"glosses\":[...]}");
        }
        JsonNode blank = root.get("blank");
        if (blank == null || !blank.isInt() || blank.intValue() != BLANK) {
            throw new IllegalArgumentException("vocabulary JSON must declare \"blank\": 0, found " + blank);
        }
        JsonNode array = root.get("glosses");
        if (array == null || !array.isArray()) {
            throw new IllegalArgumentException("vocabulary JSON has no \"glosses\" array");
        }
        List<String> glosses = new ArrayList<>(array.size());
        for (JsonNode element : array) {
            if (!element.isTextual()) {
                throw new IllegalArgumentException("vocabulary JSON gloss with id " + (glosses.size() + 1)
                        + " is not a string: " + element);
            }
            glosses.add(element.textValue());
        }
        return new Vocabulary(glosses);
    }

    private static void checkGloss(String gloss, int id) {
        if (gloss == null || gloss.isEmpty()) {
            throw new IllegalArgumentException("gloss with id " + id + " is empty");
        }
        for (int i = 0; i < gloss.length(); i++) {
            if (Character.isWhitespace(gloss.charAt(i))) {
                throw new IllegalArgumentException("gloss with id " + id + " ('" + gloss + "') contains whitespace");
            }
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Vocabulary that && glosses.equals(that.glosses);
    }

    @Override
    public int hashCode() {
        return glosses.hashCode();
    }

    @Override
    public String toString() {
        return "Vocabulary[" + size() + " glosses + blank]";
    }
}
