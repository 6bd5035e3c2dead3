package io.signstream.evaluator.messaging;

import java.util.Map;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.signstream.contract.events.EventJson;
import io.signstream.evaluator.domain.Evaluation;

/**
 * Publishes each finished evaluation (COMPLETED or FAILED) to {@code evaluation.results}: the JSON of the evaluation
 * without per-sample results (those stay behind {@code GET /evaluations/{id}/samples}), key = evaluation id.
 */
@ApplicationScoped
public class EvaluationResultsPublisher {

    private static final Logger LOG = Logger.getLogger(EvaluationResultsPublisher.class);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @ConfigProperty(name = "signstream.topics.evaluation-results")
    String topic;

    private KafkaProducer<String, byte[]> producer;

    private synchronized KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                    ProducerConfig.CLIENT_ID_CONFIG, "signstream-evaluator-results",
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
        }
        return producer;
    }

    public void publish(Evaluation evaluation) {
        byte[] json = EventJson.write(evaluation.withoutSamples());
        try {
            producer().send(new ProducerRecord<>(topic, evaluation.id(), json), (metadata, error) -> {
                if (error != null) {
                    LOG.errorf("cannot publish evaluation %s to %s: %s (it stays stored and served over REST)",
                            evaluation.id(), topic, error.getMessage());
                } else {
                    LOG.debugf("published evaluation %s to %s-%d@%d", evaluation.id(), topic, metadata.partition(),
                            metadata.offset());
                }
            });
        } catch (RuntimeException e) {
            LOG.errorf("cannot publish evaluation %s to %s: %s", evaluation.id(), topic, e.getMessage());
        }
    }

    @PreDestroy
    synchronized void close() {
        if (producer != null) {
            producer.close(java.time.Duration.ofSeconds(5));
            producer = null;
        }
    }
}
