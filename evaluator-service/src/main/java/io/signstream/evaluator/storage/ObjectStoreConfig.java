package io.signstream.evaluator.storage;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code signstream.object-store.*}: where the bucket is, and how long the evaluator waits for it. */
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
         * How long a request of an evaluation (checkpoint files, the result) is retried while the store is away before
         * the evaluation fails: an outage shorter than this costs no work.
         */
        @WithDefault("3m")
        Duration deadline();

        /** The same for requests made while a REST call waits (POST /evaluations, GET /runs/{run}/best): short, they answer 503. */
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
