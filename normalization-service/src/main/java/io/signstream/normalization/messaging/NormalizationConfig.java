package io.signstream.normalization.messaging;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code signstream.normalization.*}: the method and how the loop talks to Kafka. Defaults and reasons in application.properties. */
@ConfigMapping(prefix = "signstream.normalization")
public interface NormalizationConfig {

    /** {@code zscore-per-channel} or {@code zscore-per-sample}. */
    @WithDefault("zscore-per-channel")
    String method();

    @WithDefault("1.0E-6")
    double epsilon();

    @WithDefault("signstream-normalization")
    String groupId();

    /** Written into every stamp as {@code normalized_by}. */
    @WithDefault("normalization-service")
    String instanceId();

    @WithDefault("17825792")
    int maxMessageBytes();

    @WithDefault("16")
    int maxPollRecords();

    @WithDefault("500ms")
    Duration pollTimeout();

    @WithDefault("150s")
    Duration sendTimeout();

    @WithDefault("1s")
    Duration retryBackoff();
}
