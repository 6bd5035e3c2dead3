package io.signstream.evaluator.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.signstream.evaluator.messaging.TrainingEventsListener;

/** Ready while the training-events listener runs (when automatic evaluation is on). */
@Readiness
@ApplicationScoped
public class EvaluatorHealth implements HealthCheck {

    @Inject
    TrainingEventsListener listener;

    @ConfigProperty(name = "signstream.evaluator.auto-evaluate")
    boolean autoEvaluate;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("training-events-listener")
                .status(!autoEvaluate || listener.isRunning())
                .withData("autoEvaluate", autoEvaluate)
                .build();
    }
}
