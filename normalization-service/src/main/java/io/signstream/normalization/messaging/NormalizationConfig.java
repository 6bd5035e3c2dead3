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

    /** 2 (default: channels whose std is float noise become exactly 0) or 1 (divisor {@code max(std, epsilon)}). */
    @WithDefault("2")
    int version();

    /** Version 1 only: the divisor floor. */
    @WithDefault("1.0E-6")
    double epsilon();

    /** Version 2 only: the absolute noise threshold on a channel's std (unit of the features). */
    @WithDefault("1.0E-5")
    double noiseFloor();

    /** Version 2 only: the noise threshold in float32 ulps of the channel's largest magnitude. */
    @WithDefault("16")
    int noiseUlps();

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
