package io.signstream.checkpoint.s3;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * {@code signstream.object-store.*}: where the bucket is, and how long a service waits for it. One mapping for the
 * trainer and the evaluator (this library is indexed through its META-INF/beans.xml); a key only one of them uses
 * ({@code retry.pending-interval}: the trainer's) has a default, so the other needs no value for it.
 */
@ConfigMapping(prefix = "signstream.object-store")
public interface ObjectStoreConfig {

    String endpoint();

    String accessKey();

    String secretKey();

    String bucket();

    Retry retry();

    Health health();

    interface Retry {
        /**
         * How long a request of a run (checkpoint files, run.json) or an evaluation (checkpoint reads, the result) is
         * retried while the store is away before the run or evaluation fails: an outage shorter than this costs no work.
         */
        @WithDefault("3m")
        Duration deadline();

        /** The same for requests made while a REST call waits: short, they answer stale or 503. */
        @WithDefault("2s")
        Duration requestDeadline();

        @WithDefault("200ms")
        Duration initialBackoff();

        @WithDefault("5s")
        Duration maxBackoff();

        /** One attempt's connect timeout. */
        @WithDefault("5s")
        Duration connectTimeout();

        /** One attempt's read/write timeout. */
        @WithDefault("60s")
        Duration ioTimeout();

        /** Trainer: how often a final run status that could not be written (FAILED while the store was away) is tried again. */
        @WithDefault("5s")
        Duration pendingInterval();

        /** Retry-After of a 503 OBJECT_STORE_UNAVAILABLE. */
        @WithDefault("5s")
        Duration retryAfter();
    }

    interface Health {
        /** The readiness probe's connect and read timeout. */
        @WithDefault("2s")
        Duration timeout();

        /** How long a probe's answer is reused. */
        @WithDefault("5s")
        Duration cache();
    }
}
