package io.signstream.ingest.domain;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Counters at {@code /q/metrics}: {@code signstream_ingest_samples_accepted_total{source}},
 * {@code signstream_ingest_samples_refused_total{source,reason}} and
 * {@code signstream_ingest_feature_bytes_total{source}} (float32 tensor bytes published).
 * {@code source} is {@code upload} or {@code import}.
 */
@ApplicationScoped
public class IngestMetrics {

    public static final String UPLOAD = "upload";
    public static final String IMPORT = "import";

    private final MeterRegistry registry;

    @Inject
    public IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void accepted(String source, long featureBytes) {
        Counter.builder("signstream.ingest.samples.accepted")
                .description("Samples published to features.raw")
                .tag("source", source).register(registry).increment();
        Counter.builder("signstream.ingest.feature.bytes")
                .description("Float32 tensor bytes published to features.raw")
                .baseUnit("bytes")
                .tag("source", source).register(registry).increment(featureBytes);
    }

    public void refused(String source, String reason) {
        Counter.builder("signstream.ingest.samples.refused")
                .description("Samples refused before publishing, by reason")
                .tag("source", source).tag("reason", reason).register(registry).increment();
    }
}
