package io.signstream.evaluator.domain;

import io.signstream.contract.proto.Split;

/**
 * A checked evaluation request, before the checkpoint is resolved.
 *
 * @param epoch the epoch when {@code selection} is EPOCH, else null
 */
public record EvaluationSpec(String run, Selection selection, Integer epoch, Split split, DecoderSpec decoder,
        boolean phoenixCleanup) {

    public enum Selection {
        EPOCH,
        LATEST,
        BEST
    }
}
