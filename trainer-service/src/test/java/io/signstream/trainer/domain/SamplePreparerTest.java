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
import io.signstream.teacher.TeacherConfig;

class SamplePreparerTest {

    private static final TeacherConfig STRIDE_16 = TeacherConfig.small().withTemporalStride(16);
    private static final TeacherConfig STRIDE_4 = TeacherConfig.small().withTemporalStride(4);
    private static final TeacherConfig STRIDE_1 = TeacherConfig.small().withTemporalStride(1);

    /** A PHOENIX-shaped sentence: 140 frames, 12 glosses, two of them repeated right away (14 outputs needed). */
    static final List<String> PHOENIX_GLOSSES = List.of("MORGEN", "REGEN", "REGEN", "NORD", "KOMMEN", "SONNE",
            "SONNE", "WOLKE", "WIND", "STARK", "WARM", "GRAD");
    static final int PHOENIX_FRAMES = 140;

    private static NormalizedSample sample(String id, int frames, String... glosses) {
        return new NormalizedSample(id, Split.TRAIN, List.of(glosses), frames, new float[frames * FeatureLayout.DIMS],
                NormalizationStamp.getDefaultInstance());
    }

    @Test
    void requiredFramesCountABlankBetweenRepeats() {
        assertEquals(14, io.signstream.teacher.ctc.CtcLoss.requiredFrames(PHOENIX_GLOSSES));
        assertEquals(3, io.signstream.teacher.ctc.CtcLoss.requiredFrames(List.of("A", "A")));
        assertEquals(2, io.signstream.teacher.ctc.CtcLoss.requiredFrames(List.of("A", "B")));
    }

    @Test
    void aPhoenixSentenceAlignsAtStrides4And1ButNotAt16() {
        // ceil(140 / 16) = 9 outputs < 14; ceil(140 / 4) = 35 and 140 are enough
        assertEquals(9, STRIDE_16.outputLength(PHOENIX_FRAMES));
        assertEquals(SamplePreparer.TOO_SHORT_FOR_GLOSSES,
                SamplePreparer.unusableReason(STRIDE_16, PHOENIX_GLOSSES, PHOENIX_FRAMES, 600));
        assertNull(SamplePreparer.unusableReason(STRIDE_4, PHOENIX_GLOSSES, PHOENIX_FRAMES, 600));
        assertNull(SamplePreparer.unusableReason(STRIDE_1, PHOENIX_GLOSSES, PHOENIX_FRAMES, 600));

        Vocabulary vocabulary = Vocabulary.fromGlossSequences(List.of(PHOENIX_GLOSSES));
        NormalizedSample phoenix = sample("phoenix", PHOENIX_FRAMES, PHOENIX_GLOSSES.toArray(String[]::new));
        SamplePreparer at16 = new SamplePreparer(STRIDE_16, vocabulary, 600);
        assertTrue(at16.prepare(phoenix).isEmpty());
        assertEquals(Map.of(SamplePreparer.TOO_SHORT_FOR_GLOSSES, 1L), at16.skipped());
        for (TeacherConfig model : List.of(STRIDE_4, STRIDE_1)) {
            SamplePreparer preparer = new SamplePreparer(model, vocabulary, 600);
            var kept = preparer.prepare(phoenix);
            assertTrue(kept.isPresent(), "stride " + model.temporalStride());
            assertEquals(12, kept.get().targets().length);
            assertEquals(Map.of(), preparer.skipped());
        }
    }

    @Test
    void keepsUsableSamplesAndCountsTheOthersByReason() {
        // at stride 16, 32 frames give 2 output frames
        assertNull(SamplePreparer.unusableReason(STRIDE_16, List.of("A", "B"), 32, 600));
        assertEquals(SamplePreparer.TOO_SHORT_FOR_GLOSSES,
                SamplePreparer.unusableReason(STRIDE_16, List.of("A", "B", "C"), 32, 600));
        // a repeated gloss needs a blank between its occurrences: A A needs 3 output frames
        assertEquals(SamplePreparer.TOO_SHORT_FOR_GLOSSES,
                SamplePreparer.unusableReason(STRIDE_16, List.of("A", "A"), 32, 600));
        assertNull(SamplePreparer.unusableReason(STRIDE_16, List.of("A", "A"), 33, 600));
        // at stride 4 the same 32 frames give 8 outputs, at stride 1 all 32
        assertNull(SamplePreparer.unusableReason(STRIDE_4, List.of("A", "A"), 32, 600));
        assertEquals(SamplePreparer.TOO_SHORT_FOR_GLOSSES,
                SamplePreparer.unusableReason(STRIDE_4, List.of("A", "A"), 8, 600));
        assertNull(SamplePreparer.unusableReason(STRIDE_4, List.of("A", "A"), 9, 600));
        assertEquals(SamplePreparer.TOO_SHORT_FOR_GLOSSES,
                SamplePreparer.unusableReason(STRIDE_1, List.of("A", "A"), 2, 600));
        assertNull(SamplePreparer.unusableReason(STRIDE_1, List.of("A", "A"), 3, 600));
        assertEquals(SamplePreparer.TOO_LONG, SamplePreparer.unusableReason(STRIDE_16, List.of("A"), 601, 600));
        assertEquals(SamplePreparer.NO_GLOSSES, SamplePreparer.unusableReason(STRIDE_16, List.of(), 40, 600));

        SamplePreparer preparer = new SamplePreparer(STRIDE_16, Vocabulary.of(List.of("A", "B")), 100);
        var kept = preparer.prepare(sample("ok", 40, "B", "A"));
        assertTrue(kept.isPresent());
        assertArrayEquals(new int[] {2, 1}, kept.get().targets());
        assertTrue(preparer.prepare(sample("new-gloss", 40, "A", "Z")).isEmpty());
        assertTrue(preparer.prepare(sample("long", 101, "A")).isEmpty());
        assertTrue(preparer.prepare(sample("short", 16, "A", "B")).isEmpty());
        assertEquals(Map.of(SamplePreparer.UNKNOWN_GLOSS, 1L, SamplePreparer.TOO_LONG, 1L,
                SamplePreparer.TOO_SHORT_FOR_GLOSSES, 1L), preparer.skipped());

        // the same short sample is kept by a run at stride 4
        assertTrue(new SamplePreparer(STRIDE_4, Vocabulary.of(List.of("A", "B")), 100)
                .prepare(sample("short", 16, "A", "B")).isPresent());
    }
}
