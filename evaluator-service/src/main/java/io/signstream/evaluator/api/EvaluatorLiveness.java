package io.signstream.evaluator.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

import io.signstream.evaluator.domain.EvaluationService;
import io.signstream.evaluator.domain.EvaluatorInstance;

/**
 * Not live when a thread this instance cannot work without has ended: the evaluation worker (jobs would stay QUEUED
 * here forever, owned by an instance whose heartbeat still says it is alive) or the heartbeat (its jobs would be
 * taken over while it may still run them). Kubernetes then restarts the pod; readiness alone would only take it out
 * of the Service. The Kafka channel's own failures are on liveness already (the connector's check).
 */
@Liveness
@ApplicationScoped
public class EvaluatorLiveness implements HealthCheck {

    @Inject
    EvaluationService service;

    @Inject
    EvaluatorInstance instance;

    @Override
    public HealthCheckResponse call() {
        boolean worker = service.workerAlive();
        boolean heartbeat = instance.beating();
        return HealthCheckResponse.named("evaluation-worker").status(worker && heartbeat)
                .withData("instance", instance.id()).withData("worker", worker).withData("heartbeat", heartbeat)
                .withData("takesOverOrphans", service.takesOverOrphans()).build();
    }
}
