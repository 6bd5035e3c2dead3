package io.signstream.ingest.domain;

/** A sample the broker has acknowledged: where it lies on the topic. */
public record AcceptedSample(String sampleId, String split, int frames, String topic, int partition, long offset) {
}
