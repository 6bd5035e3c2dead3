package io.signstream.normalization.messaging;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;

/**
 * Which raw partitions this instance holds now, over all its consumers (one per copy of the channel), for the
 * status endpoint. Named in {@code mp.messaging.incoming.raw.consumer-rebalance-listener.name}.
 */
@ApplicationScoped
@Identifier("normalization-partitions")
public class PartitionTracker implements KafkaConsumerRebalanceListener {

    private final Set<TopicPartition> assigned = ConcurrentHashMap.newKeySet();
    private volatile boolean joined;

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        joined = true;
        assigned.addAll(partitions);
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        assigned.removeAll(partitions);
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        assigned.removeAll(partitions);
    }

    /** A consumer of this instance has joined the group at least once (possibly with no partitions). */
    public boolean joinedGroup() {
        return joined;
    }

    public List<String> partitions() {
        return assigned.stream().map(TopicPartition::toString).sorted().toList();
    }
}
