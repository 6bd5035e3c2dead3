package io.signstream.scoring.wer;

import java.util.Objects;

/**
 * One scored sample of a corpus.
 *
 * @param sampleId  the sample's id
 * @param alignment its alignment (of the cleaned glosses when the corpus applies a cleanup)
 */
public record SampleScore(String sampleId, Alignment alignment) {

    public SampleScore {
        Objects.requireNonNull(sampleId, "sampleId");
        Objects.requireNonNull(alignment, "alignment");
    }
}
