package io.signstream.evaluator.api;

import jakarta.annotation.security.RolesAllowed;
import io.signstream.rest.Roles;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.signstream.evaluator.domain.Evaluation;
import io.signstream.evaluator.domain.EvaluationService;
import io.signstream.evaluator.domain.EvaluatorException;
import io.signstream.evaluator.domain.Reasons;

/** Per-run views over the evaluations. */
@Path("/runs/{run}")
@Produces(MediaType.APPLICATION_JSON)
public class RunResource {

    /** The best checkpoint of a run and the evaluation that made it so. */
    public record BestCheckpoint(String run, int epoch, double wer, String evaluationId, Evaluation evaluation) {
    }

    @Inject
    EvaluationService service;

    /** The checkpoint with the lowest dev WER among the run's completed dev evaluations. */
    @GET
    @RolesAllowed({ Roles.VIEWER, Roles.PUBLISHER, Roles.TRAINER, Roles.EVALUATOR })
    @Path("best")
    public BestCheckpoint best(@PathParam("run") String run) {
        service.requireKnownRun(run);
        Evaluation best = service.best(run).orElseThrow(() -> EvaluatorException.notFound(Reasons.NO_BEST_CHECKPOINT,
                "run " + run + " has no completed dev evaluation yet"));
        return new BestCheckpoint(run, best.checkpoint().epoch(), best.scores().wer(), best.id(), best.withoutSamples());
    }
}
