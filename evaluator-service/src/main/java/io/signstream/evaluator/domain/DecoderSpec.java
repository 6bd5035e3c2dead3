package io.signstream.evaluator.domain;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * How log-probabilities become glosses: {@code greedy} (best path) or {@code beam} (CTC prefix beam search).
 *
 * @param beamWidth beams kept by the beam decoder; null for greedy
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DecoderSpec(String type, Integer beamWidth) {

    public static final String GREEDY = "greedy";
    public static final String BEAM = "beam";
    public static final int MAX_BEAM_WIDTH = 64;
    public static final int DEFAULT_BEAM_WIDTH = 8;

    public static DecoderSpec greedy() {
        return new DecoderSpec(GREEDY, null);
    }

    public static DecoderSpec beam(int width) {
        return of(BEAM, width);
    }

    /**
     * A checked decoder: type greedy or beam (any case), beam width 1..64 for beam (default 8), none for greedy.
     *
     * @throws EvaluatorException 400 BAD_DECODER naming what is wrong
     */
    public static DecoderSpec of(String type, Integer beamWidth) {
        if (type == null || type.isBlank()) {
            throw EvaluatorException.badRequest(Reasons.BAD_DECODER, "decoder.type is required: greedy or beam");
        }
        String normalized = type.trim().toLowerCase(Locale.ROOT);
        switch (normalized) {
            case GREEDY -> {
                if (beamWidth != null) {
                    throw EvaluatorException.badRequest(Reasons.BAD_DECODER,
                            "decoder.beamWidth applies to the beam decoder only, not to greedy");
                }
                return new DecoderSpec(GREEDY, null);
            }
            case BEAM -> {
                int width = beamWidth == null ? DEFAULT_BEAM_WIDTH : beamWidth;
                if (width < 1 || width > MAX_BEAM_WIDTH) {
                    throw EvaluatorException.badRequest(Reasons.BAD_DECODER,
                            "decoder.beamWidth must be within 1.." + MAX_BEAM_WIDTH + ", not " + width);
                }
                return new DecoderSpec(BEAM, width);
            }
            default -> throw EvaluatorException.badRequest(Reasons.BAD_DECODER,
                    "decoder.type must be greedy or beam, not '" + type + "'");
        }
    }

    @JsonIgnore
    public boolean isBeam() {
        return BEAM.equals(type);
    }

    @Override
    public String toString() {
        return isBeam() ? "beam(" + beamWidth + ")" : "greedy";
    }
}
