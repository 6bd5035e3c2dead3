package io.signstream.trainer.storage;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code signstream.object-store.*}: where the bucket is, and how long the trainer waits for it. */
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
         * How long a request of the run (checkpoint files, run.json) is retried while the store is away before the
         * run fails: an outage shorter than this costs no work.
         */
        @WithDefault("3m")
        Duration deadline();

        /** The same for requests made while a REST call waits (GET/POST /runs): short, they answer stale or 503. */
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

        /** How often a final run status that could not be written (FAILED while the store was away) is tried again. */
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
