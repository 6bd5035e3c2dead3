package io.signstream.checkpoint.s3;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready while the bucket does not answer (one HEAD, short timeout, answer cached a few seconds). Shared by the
 * services that use the bucket; each produces the {@link ObjectStoreProbe} it built from {@link ObjectStoreConfig}.
 */
@Readiness
@ApplicationScoped
public class ObjectStoreReadiness implements HealthCheck {

    @Inject
    ObjectStoreProbe probe;

    @Override
    public HealthCheckResponse call() {
        ObjectStoreProbe.Result result = probe.check();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("object-store").status(result.up())
                .withData("bucket", probe.bucket()).withData("checkedAt", result.checkedAt().toString());
        if (!result.up()) {
            response.withData("error", result.error()).withData("downSince", result.downSince().toString());
        }
        return response.build();
    }
}
