package io.signstream.ingest.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;

import io.signstream.contract.RejectionReason;
import io.signstream.contract.SampleRejectedException;
import io.signstream.contract.proto.FeatureSample;
import io.signstream.contract.proto.Split;
import io.signstream.ingest.support.TestSamples;

class SampleAssemblerTest {

    private final SampleAssembler assembler = new SampleAssembler(5);

    private static SampleMetadata metadata(String id, String annotation) {
        return new SampleMetadata(id, Split.TRAIN, annotation, " Signer01 ", "upload:x.npy");
    }

    @Test
    void theLargestFileAValidSampleCanNeedIsTheLimitAndOneByteMoreIsRefusedUnread() {
        SampleAssembler contract = new SampleAssembler(600);
        assertEquals(600L * 6516 * 4 + SampleAssembler.FILE_OVERHEAD_BYTES, contract.maxFileBytes());
        contract.checkFileSize("s", contract.maxFileBytes());
        SampleRejectedException e = assertThrows(SampleRejectedException.class,
                () -> contract.checkFileSize("s", contract.maxFileBytes() + 1));
        assertEquals(RejectionReason.TOO_LARGE, e.reason());
        assertTrue(e.detail().contains("it was not read"), e.detail());
        // The longest valid sample fits with room for its header.
        assertTrue(TestSamples.npy(600).length < contract.maxFileBytes());
    }

    @Test
    void aShapeThatIsNotNumbersIsRefusedWithTheReasonNotAnError() {
        SampleRejectedException e = assertThrows(SampleRejectedException.class, () -> assembler.assemble(
                metadata("s-shape", "A"), TestSamples.npyWithShapeHeader("'T', 6516", 2 * 6516 * 4)));
        assertEquals(RejectionReason.UNSUPPORTED_FORMAT, e.reason());
        assertTrue(e.detail().contains("'T'"), e.detail());
    }

    @Test
    void assemblesEveryField() {
        FeatureSample sample = assembler.assemble(metadata("s-1", "A  B"), TestSamples.npy(2));
        assertEquals("s-1", sample.getSampleId());
        assertEquals(java.util.List.of("A", "B"), sample.getGlossesList());
        assertEquals(2, sample.getFrameCount());
        assertEquals(6516, sample.getFeatureDims());
        assertEquals(2 * 6516 * 4, sample.getFeatures().size());
        assertEquals("Signer01", sample.getSigner());
        assertEquals("upload:x.npy", sample.getSource());
    }

    @Test
    void framesOverTheConfiguredLimitAreRefused() {
        SampleRejectedException e = assertThrows(SampleRejectedException.class,
                () -> assembler.assemble(metadata("s-2", "A"), TestSamples.npy(6)));
        assertEquals(RejectionReason.TOO_MANY_FRAMES, e.reason());
        assertTrue(e.detail().contains("the limit is 5"), e.detail());
    }

    @Test
    void metadataIsCheckedBeforeTheFileIsRead() {
        SampleRejectedException e = assertThrows(SampleRejectedException.class,
                () -> assembler.assemble(metadata("s-3", ""), new byte[] {1, 2, 3}));
        assertEquals(RejectionReason.EMPTY_GLOSSES, e.reason());
        assertEquals(RejectionReason.BAD_SAMPLE_ID, assertThrows(SampleRejectedException.class,
                () -> assembler.assemble(metadata("a/b", "A"), TestSamples.npy(1))).reason());
    }

    @Test
    void splitNamesAreParsedAndUnknownOnesRefused() {
        assertEquals(Split.TRAIN, SampleAssembler.parseSplit("train"));
        assertEquals(Split.DEV, SampleAssembler.parseSplit(" DEV "));
        assertEquals(Split.TEST, SampleAssembler.parseSplit("test"));
        assertEquals(RejectionReason.BAD_SPLIT,
                assertThrows(SampleRejectedException.class, () -> SampleAssembler.parseSplit("val")).reason());
        assertEquals(RejectionReason.BAD_SPLIT,
                assertThrows(SampleRejectedException.class, () -> SampleAssembler.parseSplit(null)).reason());
    }

    @Test
    void npzThatExpandsBeyondAnyValidSampleIsRefusedBeforeItIsRead() throws IOException {
        // 64 MB of zeros deflate to ~64 KB: a small upload that would need a huge buffer.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("features.npy"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 64; i++) {
                zip.write(zeros);
            }
            zip.closeEntry();
        }
        assertTrue(out.size() < 1 << 20);
        SampleRejectedException e = assertThrows(SampleRejectedException.class,
                () -> assembler.assemble(metadata("s-4", "A"), out.toByteArray()));
        assertEquals(RejectionReason.TOO_LARGE, e.reason());
        assertTrue(e.detail().contains(".npz expands to more than"), e.detail());
    }
}
