package io.signstream.normalization.messaging;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.signstream.contract.SampleValidator;
import io.signstream.featurenormalization.NoiseFloor;
import io.signstream.featurenormalization.Normalization;
import io.signstream.featurenormalization.Normalizations;
import io.signstream.normalization.domain.SampleNormalizer;
import io.smallrye.common.annotation.Identifier;

/** Starts the normalization loop with the application and stops it, batch finished, at shutdown. */
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

    /** Every {@code kafka.*} property (bootstrap servers, security), as Quarkus collects them for Kafka clients. */
    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;

    @Inject
    MeterRegistry registry;

    private SampleNormalizer normalizer;
    private NormalizationLoop loop;

    void onStart(@Observes StartupEvent event) {
        // An unknown method or version, or a bad parameter, fails the start, before anything is consumed.
        Normalization normalization = Normalizations.create(config.method(), config.version(), config.epsilon(),
                new NoiseFloor(config.noiseFloor(), config.noiseUlps()));
        normalizer = new SampleNormalizer(normalization, new SampleValidator(maxFrames), config.instanceId(),
                Clock.systemUTC());
        LoopSettings settings = new LoopSettings(rawTopic, normalizedTopic, rejectedTopic, SERVICE_NAME,
                config.pollTimeout(), config.sendTimeout(), config.retryBackoff(),
                KafkaClientSettings.consumer(kafkaConfig, config.groupId(), config.maxMessageBytes(),
                        config.maxPollRecords()),
                KafkaClientSettings.producer(kafkaConfig, config.maxMessageBytes()));
        loop = new NormalizationLoop(settings, new NormalizeStep(normalizer), new LoopMetrics(registry));
        loop.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        if (loop != null) {
            loop.stop(config.pollTimeout().plus(Duration.ofSeconds(30)));
        }
    }

    public Normalization normalization() {
        return normalizer.normalization();
    }

    public String normalizedBy() {
        return normalizer.normalizedBy();
    }

    public NormalizationLoop loop() {
        return loop;
    }
}
