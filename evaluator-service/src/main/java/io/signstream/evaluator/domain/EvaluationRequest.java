package io.signstream.evaluator.domain;

import java.io.IOException;
import java.util.Locale;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import io.signstream.checkpoint.CheckpointRef;
import io.signstream.contract.proto.Split;

/**
 * The body of {@code POST /evaluations}, as sent:
 * <pre>{"checkpoint": {"run": "run-1", "epoch": 3 | "latest" | "best"}, "split": "dev" | "test",
 *  "decoder": {"type": "greedy" | "beam", "beamWidth": 8}, "phoenixCleanup": false}</pre>
 * {@link #parse} checks it strictly (unknown fields are refused, so a typo never silently falls back to a default)
 * and returns an {@link EvaluationSpec}.
 */
public record EvaluationRequest(Checkpoint checkpoint, String split, Decoder decoder, Boolean phoenixCleanup) {

    /** @param epoch a number, "latest" (default) or "best" (lowest dev WER so far) */
    public record Checkpoint(String run, String epoch) {
    }

    public record Decoder(String type, Integer beamWidth) {
    }

    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /**
     * @param defaultDecoder used when the request names none
     * @throws EvaluatorException 400 with MALFORMED_JSON, INVALID_REQUEST, BAD_RUN_ID, BAD_EPOCH, UNKNOWN_SPLIT or BAD_DECODER
     */
    public static EvaluationSpec parse(byte[] body, DecoderSpec defaultDecoder) {
        if (body == null || body.length == 0 || new String(body, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            throw EvaluatorException.badRequest(Reasons.INVALID_REQUEST,
                    "a JSON body is required: {\"checkpoint\": {\"run\": ..., \"epoch\": ...}, \"split\": \"dev\"}");
        }
        JsonNode tree;
        try {
            tree = STRICT.readTree(body);
        } catch (JsonProcessingException e) {
            throw EvaluatorException.badRequest(Reasons.MALFORMED_JSON, "the body is not valid JSON: "
                    + e.getOriginalMessage() + location(e));
        } catch (IOException e) {
            throw EvaluatorException.badRequest(Reasons.MALFORMED_JSON, "the body cannot be read: " + e.getMessage());
        }
        if (tree == null || !tree.isObject()) {
            throw EvaluatorException.badRequest(Reasons.INVALID_REQUEST, "the body must be a JSON object");
        }
        EvaluationRequest request;
        try {
            request = STRICT.treeToValue(tree, EvaluationRequest.class);
        } catch (UnrecognizedPropertyException e) {
            throw EvaluatorException.badRequest(Reasons.INVALID_REQUEST, "unknown field '" + path(e)
                    + "'; known fields: checkpoint {run, epoch}, split, decoder {type, beamWidth}, phoenixCleanup");
        } catch (JsonMappingException e) {
            throw EvaluatorException.badRequest(Reasons.INVALID_REQUEST, "field '" + path(e) + "' has the wrong type: "
                    + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw EvaluatorException.badRequest(Reasons.MALFORMED_JSON, e.getOriginalMessage());
        }
        return request.validate(defaultDecoder);
    }

    /** Checks every field; see {@link #parse}. */
    public EvaluationSpec validate(DecoderSpec defaultDecoder) {
        if (checkpoint == null) {
            throw EvaluatorException.badRequest(Reasons.INVALID_REQUEST,
                    "checkpoint is required: {\"run\": \"...\", \"epoch\": 3 | \"latest\" | \"best\"}");
        }
        String run = checkpoint.run();
        if (run == null || !CheckpointRef.RUN_ID.matcher(run).matches()) {
            throw EvaluatorException.badRequest(Reasons.BAD_RUN_ID, "checkpoint.run must match "
                    + CheckpointRef.RUN_ID.pattern() + ", not " + (run == null ? "nothing" : "'" + run + "'"));
        }
        EvaluationSpec.Selection selection;
        Integer epoch = null;
        String epochText = checkpoint.epoch() == null ? "latest" : checkpoint.epoch().trim().toLowerCase(Locale.ROOT);
        switch (epochText) {
            case "latest" -> selection = EvaluationSpec.Selection.LATEST;
            case "best" -> selection = EvaluationSpec.Selection.BEST;
            default -> {
                selection = EvaluationSpec.Selection.EPOCH;
                epoch = parseEpoch(checkpoint.epoch());
            }
        }
        Split parsedSplit = parseSplit(split == null ? "dev" : split);
        DecoderSpec decoderSpec = decoder == null ? defaultDecoder : DecoderSpec.of(decoder.type(), decoder.beamWidth());
        return new EvaluationSpec(run, selection, epoch, parsedSplit, decoderSpec, Boolean.TRUE.equals(phoenixCleanup));
    }

    /** "dev" or "test", any case. */
    public static Split parseSplit(String split) {
        String normalized = split == null ? "" : split.trim().toLowerCase(Locale.ROOT);
        return switch (normalized) {
            case "dev" -> Split.DEV;
            case "test" -> Split.TEST;
            default -> throw EvaluatorException.badRequest(Reasons.UNKNOWN_SPLIT,
                    "split must be dev or test, not '" + split + "'" + ("train".equals(normalized)
                            ? " (the training split is never evaluated here)" : ""));
        };
    }

    private static int parseEpoch(String text) {
        try {
            int epoch = Integer.parseInt(text.trim());
            if (epoch < 0 || epoch > CheckpointRef.MAX_EPOCH) {
                throw new NumberFormatException();
            }
            return epoch;
        } catch (NumberFormatException e) {
            throw EvaluatorException.badRequest(Reasons.BAD_EPOCH, "checkpoint.epoch must be a number within 0.."
                    + CheckpointRef.MAX_EPOCH + ", \"latest\" or \"best\", not '" + text + "'");
        }
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                + e.getLocation().getColumnNr() + ")";
    }
}
