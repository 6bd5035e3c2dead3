package io.signstream.featurestream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.signstream.contract.proto.FeatureSample;
import io.signstream.contract.proto.Split;

class SampleHeaderTest {

    @Test
    void readsIdAndSplitWithoutDecodingTheTensor() {
        FeatureSample sample = TestTopics.sample("dev-7", Split.DEV, 3, TestTopics.ZSCORE, "A", "B")
                .setSigner("Signer01").build();
        SampleHeader header = SampleHeader.parse(sample.toByteArray()).orElseThrow();
        assertEquals("dev-7", header.id());
        assertEquals(Split.DEV, header.split());
    }

    @Test
    void fieldsInAnyOrderAndMissingSplit() {
        // the tensor before the id, and no split at all (proto3 default 0)
        byte[] tensorFirst = FeatureSample.newBuilder().setFeatures(TestTopics.bytes(new float[] {1f, 2f})).build()
                .toByteArray();
        byte[] idOnly = FeatureSample.newBuilder().setSampleId("x-1").build().toByteArray();
        byte[] both = new byte[tensorFirst.length + idOnly.length];
        System.arraycopy(tensorFirst, 0, both, 0, tensorFirst.length);
        System.arraycopy(idOnly, 0, both, tensorFirst.length, idOnly.length);
        SampleHeader header = SampleHeader.parse(both).orElseThrow();
        assertEquals("x-1", header.id());
        assertEquals(Split.SPLIT_UNSPECIFIED, header.split());
    }

    @Test
    void garbageAndEmptyValuesAreNotHeaders() {
        assertTrue(SampleHeader.parse(new byte[0]).isEmpty());
        assertTrue(SampleHeader.parse(null).isEmpty());
        assertTrue(SampleHeader.parse("{\"not\":\"protobuf\"}".getBytes(StandardCharsets.UTF_8)).isEmpty());
        // a length-delimited field claiming more bytes than there are
        assertTrue(SampleHeader.parse(new byte[] {0x0a, 0x7f, 0x41}).isEmpty());
    }
}
