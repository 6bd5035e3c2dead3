package io.signstream.featurestream;

import java.util.List;

/** A whole pass held in memory: fine for dev/test, the trainer iterates instead. */
public record PassResult(List<NormalizedSample> samples, PassSummary summary) {

    public PassResult {
        samples = List.copyOf(samples);
    }
}
