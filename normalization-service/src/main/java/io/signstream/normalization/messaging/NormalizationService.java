package io.signstream.normalization.messaging;

import java.time.Clock;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.signstream.contract.SampleValidator;
import io.signstream.featurenormalization.NoiseFloor;
import io.signstream.featurenormalization.Normalization;
import io.signstream.featurenormalization.Normalizations;
import io.signstream.normalization.domain.SampleNormalizer;

/**
 * What the processor applies, built once at start: an unknown method or version, or a bad parameter, fails the
 * start before anything is consumed ({@link Startup}).
 */
@Startup
@ApplicationScoped
public class NormalizationService {

    public static final String SERVICE_NAME = "normalization-service";

    @Inject
    NormalizationConfig config;

    @ConfigProperty(name = "signstream.topics.raw", defaultValue = "features.raw")
    String rawTopic;

    @ConfigProperty(name = "signstream.topics.normalized", defaultValue = "features.normalized")
    String normalizedTopic;

    @ConfigProperty(name = "signstream.topics.rejected", defaultValue = "features.rejected")
    String rejectedTopic;

    @ConfigProperty(name = "signstream.validation.max-frames", defaultValue = "600")
    int maxFrames;

    @ConfigProperty(name = "mp.messaging.incoming.raw.group.id")
    String groupId;

    @Inject
    MeterRegistry registry;

    private SampleNormalizer normalizer;
    private RecordStep step;
    private NormalizationMetrics metrics;
    private Rejections rejections;

    @PostConstruct
    void init() {
        Normalization normalization = Normalizations.create(config.method(), config.version(), config.epsilon(),
                new NoiseFloor(config.noiseFloor(), config.noiseUlps()));
        normalizer = new SampleNormalizer(normalization, new SampleValidator(maxFrames), config.instanceId(),
                Clock.systemUTC());
        step = config.passThrough() ? (key, value) -> RecordStep.Outcome.publish(key, value)
                : new NormalizeStep(normalizer);
        metrics = new NormalizationMetrics(registry);
        rejections = new Rejections(SERVICE_NAME, config.maxMessageBytes());
    }

    public Normalization normalization() {
        return normalizer.normalization();
    }

    public String normalizedBy() {
        return normalizer.normalizedBy();
    }

    RecordStep step() {
        return step;
    }

    public NormalizationMetrics metrics() {
        return metrics;
    }

    Rejections rejections() {
        return rejections;
    }

    public String rawTopic() {
        return rawTopic;
    }

    public String normalizedTopic() {
        return normalizedTopic;
    }

    public String rejectedTopic() {
        return rejectedTopic;
    }

    public String groupId() {
        return groupId;
    }
}
