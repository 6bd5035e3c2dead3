package io.signstream.normalization.messaging;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * {@code signstream.normalization.*}: the method, and what the processor needs besides the channels (those are
 * {@code mp.messaging.*}). Defaults and reasons in application.properties.
 */
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

    /** Written into every stamp as {@code normalized_by}. */
    @WithDefault("normalization-service")
    String instanceId();

    /** Largest record the producer sends; a rejection that would not fit leaves the original value out. */
    @WithDefault("17825792")
    int maxMessageBytes();

    /**
     * Benchmark only: forward every value unchanged (no decoding), to measure what the pipeline costs without
     * the normalization. Never set in a deployment: the output would be unstamped.
     */
    @WithDefault("false")
    boolean passThrough();
}
