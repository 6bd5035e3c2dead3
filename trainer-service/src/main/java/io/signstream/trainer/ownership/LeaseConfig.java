package io.signstream.trainer.ownership;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code signstream.trainer.lease.*}: how a trainer holds the run it trains (README, "Runs on several trainers"). */
@ConfigMapping(prefix = "signstream.trainer.lease")
public interface LeaseConfig {

    /**
     * How long a lease lasts without renewal: a trainer that died is replaced this long after its last renewal (plus
     * the consumer group's session timeout).
     */
    @WithDefault("30s")
    Duration duration();

    /** How often the owner renews its lease (and checks for a stop request, and writes its progress). */
    @WithDefault("5s")
    Duration renewEvery();

    /**
     * After writing a claim, how long a trainer waits before reading the lease back: on a store without conditional
     * writes (S3Proxy) two claims can race, and the later write wins; the one that reads back another owner backs off.
     */
    @WithDefault("1s")
    Duration claimSettle();

    /** This process's owner id in leases and manifests; default: host name (the pod's name) and pid. */
    Optional<String> ownerId();
}
