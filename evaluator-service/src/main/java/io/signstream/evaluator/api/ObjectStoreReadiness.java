package io.signstream.evaluator.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import io.signstream.checkpoint.s3.ObjectStoreProbe;
import io.signstream.evaluator.storage.ObjectStoreProducer;

/** Not ready while the bucket does not answer (one HEAD, short timeout, answer cached a few seconds). */
@Readiness
@ApplicationScoped
public class ObjectStoreReadiness implements HealthCheck {

    @Inject
    ObjectStoreProducer.Background clients;

    @Override
    public HealthCheckResponse call() {
        ObjectStoreProbe.Result result = clients.probe().check();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("object-store").status(result.up())
                .withData("bucket", clients.probe().bucket()).withData("checkedAt", result.checkedAt().toString());
        if (!result.up()) {
            response.withData("error", result.error()).withData("downSince", result.downSince().toString());
        }
        return response.build();
    }
}
