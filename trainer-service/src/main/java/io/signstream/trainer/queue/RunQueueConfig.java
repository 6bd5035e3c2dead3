package io.signstream.trainer.queue;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code signstream.trainer.queue.*}: the run queue (README, "Runs on several trainers"). */
@ConfigMapping(prefix = "signstream.trainer.queue")
public interface RunQueueConfig {

    /**
     * Runs go through the queue, owned under a lease (several trainers). Off: the single-trainer mode of earlier
     * rounds (POST /runs starts the run on the trainer that answers, 409 while it trains one).
     */
    @WithDefault("true")
    boolean enabled();

    @WithDefault("training.requests")
    String topic();

    /** The consumer group every trainer pod joins (KEDA's lag trigger reads its lag). */
    @WithDefault("signstream-trainers")
    String group();

    /** How often the queue's consumer polls; it never blocks longer, so the group never loses a trainer that trains. */
    @WithDefault("1s")
    Duration pollInterval();

    /** How often a held request's run is looked at (ended? owner gone? this trainer free?). */
    @WithDefault("2s")
    Duration checkInterval();

    /** A trainer that stops heartbeating (killed, paused) leaves the group after this: its requests go to another. */
    @WithDefault("10s")
    Duration sessionTimeout();
}
