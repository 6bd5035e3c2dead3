package io.signstream.trainer;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.signstream.contract.events.EventJson;
import io.signstream.contract.events.TrainingEvent;
import io.signstream.trainer.messaging.TrainingEvents;

/**
 * For tests that drive a run without the application (no channels there): the same record as the service's
 * emitter writes (key = run id, JSON value, acks=all, waited for) on the real broker, through a plain producer.
 */
public final class BrokerTrainingEvents implements TrainingEvents, AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;
    private final String topic;

    public BrokerTrainingEvents(String bootstrapServers, String topic) {
        this.topic = topic;
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                new StringSerializer(), new ByteArraySerializer());
    }

    @Override
    public void publish(TrainingEvent event) {
        try {
            producer.send(new ProducerRecord<>(topic, event.runId(), EventJson.write(event))).get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while announcing " + event.type(), e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot announce " + event.type() + " of run " + event.runId(), e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
