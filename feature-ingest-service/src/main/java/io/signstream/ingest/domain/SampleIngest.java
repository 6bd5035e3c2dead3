package io.signstream.ingest.domain;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.jboss.logging.Logger;

import io.signstream.contract.SampleRejectedException;
import io.signstream.contract.proto.FeatureSample;
import io.signstream.ingest.messaging.SamplePublisher;

/** One uploaded sample: assemble and validate, then publish and wait for the broker's acknowledgement. */
@ApplicationScoped
public class SampleIngest {

    private static final Logger LOG = Logger.getLogger(SampleIngest.class);

    private final SampleAssembler assembler;
    private final SamplePublisher publisher;
    private final IngestMetrics metrics;

    @Inject
    public SampleIngest(SampleAssembler assembler, SamplePublisher publisher, IngestMetrics metrics) {
        this.assembler = assembler;
        this.publisher = publisher;
        this.metrics = metrics;
    }

    /**
     * @param split train, dev or test, as the caller wrote it
     * @throws SampleRejectedException when the sample breaks the contract (nothing was sent)
     * @throws io.signstream.ingest.messaging.PublishFailedException when the broker did not acknowledge it
     */
    public AcceptedSample ingest(String sampleId, String split, String annotation, String signer, String source,
            byte[] file) {
        FeatureSample sample;
        try {
            sample = assembler.assemble(new SampleMetadata(sampleId, SampleAssembler.parseSplit(split), annotation,
                    signer, source), file);
        } catch (SampleRejectedException e) {
            metrics.refused(IngestMetrics.UPLOAD, e.reason().name());
            LOG.infof("refused upload %s: %s: %s", sampleId, e.reason(), e.detail());
            throw e;
        }
        RecordMetadata record = publisher.publish(sample);
        metrics.accepted(IngestMetrics.UPLOAD, sample.getFeatures().size());
        LOG.infof("published %s (%s, %d frames) to %s-%d@%d", sample.getSampleId(),
                SampleAssembler.splitName(sample.getSplit()), sample.getFrameCount(), record.topic(),
                record.partition(), record.offset());
        return new AcceptedSample(sample.getSampleId(), SampleAssembler.splitName(sample.getSplit()),
                sample.getFrameCount(), record.topic(), record.partition(), record.offset());
    }
}
