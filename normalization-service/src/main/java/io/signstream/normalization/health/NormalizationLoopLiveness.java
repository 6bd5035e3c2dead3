package io.signstream.normalization.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

import io.signstream.normalization.messaging.NormalizationLoop;
import io.signstream.normalization.messaging.NormalizationService;

/** Down when the loop thread has died: the pod does no work and should be restarted. */
@Liveness
@ApplicationScoped
public class NormalizationLoopLiveness implements HealthCheck {

    @Inject
    NormalizationService service;

    @Override
    public HealthCheckResponse call() {
        NormalizationLoop loop = service.loop();
        boolean alive = loop != null && loop.isAlive();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("normalization-loop").status(alive);
        if (loop != null && loop.fatalError() != null) {
            response.withData("error", String.valueOf(loop.fatalError()));
        }
        return response.build();
    }
}
