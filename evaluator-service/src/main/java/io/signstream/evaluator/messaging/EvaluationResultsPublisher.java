package io.signstream.evaluator.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.signstream.contract.events.EventJson;
import io.signstream.evaluator.domain.Evaluation;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Publishes each finished evaluation (COMPLETED or FAILED) to {@code evaluation.results} (channel
 * {@code evaluation-results}): the JSON of the evaluation without per-sample results (those stay behind
 * {@code GET /evaluations/{id}/samples}), key = evaluation id. Waits for the broker's acknowledgement, so the log says
 * whether it was published; a result that was not stays stored and served over REST.
 */
@ApplicationScoped
public class EvaluationResultsPublisher {

    private static final Logger LOG = Logger.getLogger(EvaluationResultsPublisher.class);

    @Inject
    @Channel("evaluation-results")
    MutinyEmitter<byte[]> emitter;

    /** @return whether the broker acknowledged the result (within the channel's delivery.timeout.ms) */
    public boolean publish(Evaluation evaluation) {
        Message<byte[]> message = Message.of(EventJson.write(evaluation.withoutSamples()))
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(evaluation.id()).build());
        try {
            emitter.sendMessageAndAwait(message);
            LOG.debugf("published evaluation %s", evaluation.id());
            return true;
        } catch (RuntimeException e) {
            LOG.errorf("cannot publish evaluation %s: %s (it stays stored and served over REST)", evaluation.id(),
                    e.getMessage());
            return false;
        }
    }
}
