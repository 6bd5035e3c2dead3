package io.signstream.trainer.domain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.signstream.contract.FeatureLayout;
import io.signstream.contract.proto.NormalizationStamp;
import io.signstream.contract.proto.Split;
import io.signstream.featurestream.NormalizedSample;
import io.signstream.scoring.Vocabulary;

class SamplePreparerTest {

    private static NormalizedSample sample(String id, int frames, String... glosses) {
        return new NormalizedSample(id, Split.TRAIN, List.of(glosses), frames, new float[frames * FeatureLayout.DIMS],
                NormalizationStamp.getDefaultInstance());
    }

    @Test
    void keepsUsableSamplesAndCountsTheOthersByReason() {
        // the teacher reduces time 16-fold: 32 frames give 2 output frames
        assertNull(SamplePreparer.unusableReason(List.of("A", "B"), 32, 600));
        assertEquals(SamplePreparer.TOO_SHORT_FOR_GLOSSES, SamplePreparer.unusableReason(List.of("A", "B", "C"), 32, 600));
        // a repeated gloss needs a blank between its occurrences: A A needs 3 output frames
        assertEquals(SamplePreparer.TOO_SHORT_FOR_GLOSSES, SamplePreparer.unusableReason(List.of("A", "A"), 32, 600));
        assertNull(SamplePreparer.unusableReason(List.of("A", "A"), 33, 600));
        assertEquals(SamplePreparer.TOO_LONG, SamplePreparer.unusableReason(List.of("A"), 601, 600));
        assertEquals(SamplePreparer.NO_GLOSSES, SamplePreparer.unusableReason(List.of(), 40, 600));

        SamplePreparer preparer = new SamplePreparer(Vocabulary.of(List.of("A", "B")), 100);
        var kept = preparer.prepare(sample("ok", 40, "B", "A"));
        assertTrue(kept.isPresent());
        assertArrayEquals(new int[] {2, 1}, kept.get().targets());
        assertTrue(preparer.prepare(sample("new-gloss", 40, "A", "Z")).isEmpty());
        assertTrue(preparer.prepare(sample("long", 101, "A")).isEmpty());
        assertTrue(preparer.prepare(sample("short", 16, "A", "B")).isEmpty());
        assertEquals(Map.of(SamplePreparer.UNKNOWN_GLOSS, 1L, SamplePreparer.TOO_LONG, 1L,
                SamplePreparer.TOO_SHORT_FOR_GLOSSES, 1L), preparer.skipped());
    }
}
