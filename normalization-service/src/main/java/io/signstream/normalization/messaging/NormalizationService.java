package io.signstream.normalization.messaging;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.signstream.contract.SampleValidator;
import io.signstream.contract.Topics;
import io.signstream.contract.proto.Split;
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

    @ConfigProperty(name = "signstream.topics.normalized-train", defaultValue = Topics.FEATURES_NORMALIZED_TRAIN)
    String normalizedTrainTopic;

    @ConfigProperty(name = "signstream.topics.normalized-dev", defaultValue = Topics.FEATURES_NORMALIZED_DEV)
    String normalizedDevTopic;

    @ConfigProperty(name = "signstream.topics.normalized-test", defaultValue = Topics.FEATURES_NORMALIZED_TEST)
    String normalizedTestTopic;

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
        step = config.passThrough() ? RecordStep.Outcome::forward
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

    /** Where a normalized sample of {@code split} goes: each split has its topic, so readers fetch only theirs. */
    public String normalizedTopic(Split split) {
        return switch (split) {
            case TRAIN -> normalizedTrainTopic;
            case DEV -> normalizedDevTopic;
            case TEST -> normalizedTestTopic;
            // the normalizer's validation refuses any other split before a sample gets here
            default -> throw new IllegalArgumentException("no normalized topic for split " + split);
        };
    }

    /** Split (lower case) to topic. */
    public Map<String, String> normalizedTopics() {
        Map<String, String> topics = new LinkedHashMap<>();
        for (Split split : List.of(Split.TRAIN, Split.DEV, Split.TEST)) {
            topics.put(split.name().toLowerCase(Locale.ROOT), normalizedTopic(split));
        }
        return topics;
    }

    public String rejectedTopic() {
        return rejectedTopic;
    }

    public String groupId() {
        return groupId;
    }
}
