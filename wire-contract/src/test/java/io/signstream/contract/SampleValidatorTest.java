package io.signstream.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;

import com.google.protobuf.ByteString;

import io.signstream.contract.proto.FeatureSample;
import io.signstream.contract.proto.Split;

class SampleValidatorTest {

    private final SampleValidator validator = new SampleValidator(10);

    @Test
    void acceptsValidSampleAndReturnsItsValues() {
        float[] values = validator.validate(SampleFixtures.valid(4).build());
        assertEquals(4 * 6516, values.length);
    }

    @Test
    void layoutAddsUpTo6516() {
        assertEquals(6516, FeatureLayout.DIMS);
        assertEquals(1629, FeatureLayout.RAW_LANDMARK_VALUES);
        assertEquals(225, Modality.FACE.start());
        assertEquals(6516, Modality.TEMPORAL.end());
    }

    @Test
    void rejectsNaN() {
        float[] values = SampleFixtures.ramp(2);
        values[6516 + 100] = Float.NaN;
        SampleRejectedException e = rejected(b -> b.setFeatures(FeatureTensor.toBytes(values)));
        assertEquals(RejectionReason.NON_FINITE, e.reason());
        assertTrue(e.detail().contains("frame 1, column 100 (hands)"), e.detail());
    }

    @Test
    void rejectsInfinity() {
        float[] values = SampleFixtures.ramp(2);
        values[6515] = Float.NEGATIVE_INFINITY;
        assertEquals(RejectionReason.NON_FINITE, rejected(b -> b.setFeatures(FeatureTensor.toBytes(values))).reason());
    }

    @Test
    void rejectsWrongDims() {
        assertEquals(RejectionReason.WRONG_DIMS, rejected(b -> b.setFeatureDims(6515)).reason());
    }

    @Test
    void rejectsZeroFrames() {
        assertEquals(RejectionReason.NO_FRAMES,
                rejected(b -> b.setFrameCount(0).setFeatures(ByteString.EMPTY)).reason());
    }

    @Test
    void rejectsTooManyFrames() {
        assertEquals(RejectionReason.TOO_MANY_FRAMES, rejected(b -> b.setFrameCount(11)).reason());
    }

    @Test
    void rejectsTensorSizeThatDisagreesWithShape() {
        assertEquals(RejectionReason.SIZE_MISMATCH, rejected(b -> b.setFrameCount(3)).reason());
    }

    @Test
    void rejectsEmptyAnnotation() {
        assertEquals(RejectionReason.EMPTY_GLOSSES, rejected(FeatureSample.Builder::clearGlosses).reason());
    }

    @Test
    void rejectsGlossWithWhitespace() {
        assertEquals(RejectionReason.BAD_GLOSS,
                rejected(b -> b.clearGlosses().addAllGlosses(List.of("A B"))).reason());
    }

    @Test
    void rejectsMissingSplit() {
        assertEquals(RejectionReason.BAD_SPLIT, rejected(b -> b.setSplit(Split.SPLIT_UNSPECIFIED)).reason());
    }

    @Test
    void rejectsBadSampleId() {
        assertEquals(RejectionReason.BAD_SAMPLE_ID, rejected(b -> b.setSampleId("../etc/passwd")).reason());
        assertEquals(RejectionReason.BAD_SAMPLE_ID, rejected(b -> b.setSampleId("")).reason());
    }

    @Test
    void glossesParseOnAnyWhitespace() {
        assertEquals(List.of("A", "B", "C"), Glosses.parse("  A B\tC \n"));
        assertTrue(Glosses.parse("   ").isEmpty());
    }

    private SampleRejectedException rejected(UnaryOperator<FeatureSample.Builder> change) {
        FeatureSample sample = change.apply(SampleFixtures.valid(2)).build();
        return assertThrows(SampleRejectedException.class, () -> validator.validate(sample));
    }

}
