package io.signstream.evaluator.messaging;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;

/**
 * Which partitions of {@code training.events} the consumer group gave this instance (the channel's
 * {@code consumer-rebalance-listener.name}). Kafka assigns each partition to exactly one member of the group, so the
 * holder of a partition is the one replica that evaluates the checkpoints announced there, and the holder of
 * partition 0 is the one that takes over jobs dead instances left unfinished (EvaluationService's sweep): the
 * group coordinator is the arbiter the object store cannot be (S3Proxy ignores If-None-Match on PUT).
 */
@ApplicationScoped
@Identifier(TrainingEventsOwnership.NAME)
public class TrainingEventsOwnership implements KafkaConsumerRebalanceListener {

    public static final String NAME = "training-events-ownership";
    private static final Logger LOG = Logger.getLogger(TrainingEventsOwnership.class);

    private final Set<TopicPartition> assigned = ConcurrentHashMap.newKeySet();

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        assigned.addAll(partitions);
        LOG.infof("training.events partitions of this instance: %s", assigned);
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        assigned.removeAll(partitions);
        LOG.infof("training.events partitions revoked: %s; now %s", partitions, assigned);
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        onPartitionsRevoked(consumer, partitions);
    }

    /** True while this instance holds partition 0 of the topic. */
    public boolean holdsFirstPartition() {
        return assigned.stream().anyMatch(p -> p.partition() == 0);
    }

    public Set<TopicPartition> assigned() {
        return Set.copyOf(assigned);
    }
}
