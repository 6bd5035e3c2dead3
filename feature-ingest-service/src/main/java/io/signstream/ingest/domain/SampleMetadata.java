package io.signstream.ingest.domain;

import io.signstream.contract.proto.Split;

/**
 * Everything about a sample except its frames: who it is, where it belongs, what was signed.
 *
 * @param annotation space-separated glosses, PHOENIX style
 * @param signer optional, may be null or blank
 * @param source optional provenance (uploaded file name, corpus line), may be null
 */
public record SampleMetadata(String sampleId, Split split, String annotation, String signer, String source) {
}
