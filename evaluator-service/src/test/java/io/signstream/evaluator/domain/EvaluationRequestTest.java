package io.signstream.evaluator.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.signstream.contract.proto.Split;

class EvaluationRequestTest {

    private static final DecoderSpec DEFAULT = DecoderSpec.greedy();

    private static EvaluationSpec parse(String json) {
        return EvaluationRequest.parse(json.getBytes(StandardCharsets.UTF_8), DEFAULT);
    }

    private static EvaluatorException refused(String json) {
        return assertThrows(EvaluatorException.class, () -> parse(json));
    }

    @Test
    void aFullRequest() {
        EvaluationSpec spec = parse("""
                {"checkpoint": {"run": "run-1", "epoch": 3}, "split": "TEST",
                 "decoder": {"type": "beam", "beamWidth": 16}, "phoenixCleanup": true}""");
        assertEquals("run-1", spec.run());
        assertEquals(EvaluationSpec.Selection.EPOCH, spec.selection());
        assertEquals(3, spec.epoch());
        assertEquals(Split.TEST, spec.split());
        assertEquals(DecoderSpec.beam(16), spec.decoder());
        assertTrue(spec.phoenixCleanup());
    }

    @Test
    void defaultsAreLatestDevTheServiceDecoderAndNoCleanup() {
        EvaluationSpec spec = parse("{\"checkpoint\": {\"run\": \"r\"}}");
        assertEquals(EvaluationSpec.Selection.LATEST, spec.selection());
        assertNull(spec.epoch());
        assertEquals(Split.DEV, spec.split());
        assertEquals(DEFAULT, spec.decoder());
        assertFalse(spec.phoenixCleanup());
        assertEquals(EvaluationSpec.Selection.BEST, parse("{\"checkpoint\": {\"run\": \"r\", \"epoch\": \"best\"}}").selection());
        assertEquals(7, parse("{\"checkpoint\": {\"run\": \"r\", \"epoch\": \"7\"}}").epoch());
        assertEquals(DecoderSpec.beam(DecoderSpec.DEFAULT_BEAM_WIDTH),
                parse("{\"checkpoint\": {\"run\": \"r\"}, \"decoder\": {\"type\": \"Beam\"}}").decoder());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"checkpoint\": {\"run\": \"r\"}                                                       | MALFORMED_JSON",
            "not json                                                                              | MALFORMED_JSON",
            "{\"checkpoint\": {\"run\": \"r\"}} trailing                                           | MALFORMED_JSON",
            "[1, 2]                                                                                | INVALID_REQUEST",
            "{}                                                                                    | INVALID_REQUEST",
            "{\"checkpoint\": {\"run\": \"r\"}, \"spilt\": \"dev\"}                                | INVALID_REQUEST",
            "{\"checkpoint\": \"r\"}                                                               | INVALID_REQUEST",
            "{\"checkpoint\": {\"run\": \"r\"}, \"phoenixCleanup\": \"maybe\"}                     | INVALID_REQUEST",
            "{\"checkpoint\": {\"epoch\": 1}}                                                      | BAD_RUN_ID",
            "{\"checkpoint\": {\"run\": \"../etc\"}}                                               | BAD_RUN_ID",
            "{\"checkpoint\": {\"run\": \"r\", \"epoch\": -1}}                                     | BAD_EPOCH",
            "{\"checkpoint\": {\"run\": \"r\", \"epoch\": 10000}}                                  | BAD_EPOCH",
            "{\"checkpoint\": {\"run\": \"r\", \"epoch\": \"first\"}}                              | BAD_EPOCH",
            "{\"checkpoint\": {\"run\": \"r\", \"epoch\": 1.5}}                                    | BAD_EPOCH",
            "{\"checkpoint\": {\"run\": \"r\"}, \"split\": \"train\"}                              | UNKNOWN_SPLIT",
            "{\"checkpoint\": {\"run\": \"r\"}, \"split\": \"validation\"}                         | UNKNOWN_SPLIT",
            "{\"checkpoint\": {\"run\": \"r\"}, \"decoder\": {\"type\": \"viterbi\"}}              | BAD_DECODER",
            "{\"checkpoint\": {\"run\": \"r\"}, \"decoder\": {}}                                   | BAD_DECODER",
            "{\"checkpoint\": {\"run\": \"r\"}, \"decoder\": {\"type\": \"beam\", \"beamWidth\": 0}}  | BAD_DECODER",
            "{\"checkpoint\": {\"run\": \"r\"}, \"decoder\": {\"type\": \"beam\", \"beamWidth\": 65}} | BAD_DECODER",
            "{\"checkpoint\": {\"run\": \"r\"}, \"decoder\": {\"type\": \"greedy\", \"beamWidth\": 4}} | BAD_DECODER",
            "{\"checkpoint\": {\"run\": \"r\"}, \"decoder\": {\"type\": \"beam\", \"beamWidth\": 2.5}} | INVALID_REQUEST",
    })
    void badRequestsAreRefusedWithAReason(String json, String reason) {
        EvaluatorException e = refused(json);
        assertEquals(400, e.status());
        assertEquals(reason, e.reason(), e.detail());
        assertFalse(e.detail().isBlank());
    }

    @Test
    void anEmptyBodyIsRefused() {
        EvaluatorException e = assertThrows(EvaluatorException.class, () -> EvaluationRequest.parse(new byte[0], DEFAULT));
        assertEquals(Reasons.INVALID_REQUEST, e.reason());
        assertEquals(Reasons.INVALID_REQUEST, refused("   ").reason());
    }

    @Test
    void theDetailNamesTheOffendingField() {
        assertTrue(refused("{\"checkpoint\": {\"run\": \"r\"}, \"spilt\": \"dev\"}").detail().contains("spilt"));
        assertTrue(refused("{\"checkpoint\": {\"run\": \"r\"}, \"decoder\": {\"type\": \"beam\", \"beamWidth\": 65}}")
                .detail().contains("1..64"));
    }
}
