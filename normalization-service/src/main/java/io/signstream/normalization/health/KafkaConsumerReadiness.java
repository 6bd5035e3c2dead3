package io.signstream.normalization.health;

import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import io.signstream.normalization.messaging.NormalizationLoop;
import io.signstream.normalization.messaging.NormalizationService;

/**
 * Up once the consumer has joined its group (it reached the broker and got its share of partitions). An
 * instance with no partitions, because the group has more members than the topic has partitions, is still ready:
 * it takes over when another member leaves.
 */
@Readiness
@ApplicationScoped
public class KafkaConsumerReadiness implements HealthCheck {

    @Inject
    NormalizationService service;

    @Override
    public HealthCheckResponse call() {
        NormalizationLoop loop = service.loop();
        boolean ready = loop != null && loop.isAlive() && loop.hasJoinedGroup();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("normalization-consumer").status(ready);
        if (loop != null) {
            response.withData("group", loop.settings().groupId())
                    .withData("topic", loop.settings().sourceTopic())
                    .withData("partitions", loop.assignment().stream().map(Object::toString).sorted()
                            .collect(Collectors.joining(",")));
        }
        return response.build();
    }
}
