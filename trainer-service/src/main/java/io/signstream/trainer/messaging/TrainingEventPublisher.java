package io.signstream.trainer.messaging;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.signstream.contract.events.EventJson;
import io.signstream.contract.events.TrainingEvent;

/** Announces run milestones on {@code training.events} (key = run id, JSON value), waiting for the broker's ack. */
public final class TrainingEventPublisher implements AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;
    private final String topic;

    public TrainingEventPublisher(String bootstrapServers, String topic) {
        this.topic = topic;
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                // the evaluator loads a checkpoint because of this message: it must not be lost
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
    }

    public String topic() {
        return topic;
    }

    public void publish(TrainingEvent event) {
        try {
            producer.send(new ProducerRecord<>(topic, event.runId(), EventJson.write(event))).get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while announcing " + event.type() + " of run " + event.runId(), e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot announce " + event.type() + " of run " + event.runId() + " on "
                    + topic + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
