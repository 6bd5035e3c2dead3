package io.signstream.evaluator.api;

import jakarta.annotation.security.RolesAllowed;
import io.signstream.rest.Roles;
import java.util.List;

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

    /**
     * The best checkpoint of a run and the evaluation that made it so.
     *
     * @param skipped better-scored checkpoints passed over (damaged, written again since, or gone), best first
     */
    public record BestCheckpoint(String run, int epoch, double wer, String evaluationId, Evaluation evaluation,
            List<EvaluationService.SkippedCheckpoint> skipped) {
    }

    @Inject
    EvaluationService service;

    /** The checkpoint with the lowest dev WER among the run's completed dev evaluations. */
    @GET
    @RolesAllowed({ Roles.VIEWER, Roles.PUBLISHER, Roles.TRAINER, Roles.EVALUATOR })
    @Path("best")
    public BestCheckpoint best(@PathParam("run") String run) {
        service.requireKnownRun(run);
        EvaluationService.Best found = service.best(run);
        Evaluation best = found.evaluation();
        if (best == null) {
            throw EvaluatorException.notFound(Reasons.NO_BEST_CHECKPOINT, found.skipped().isEmpty()
                    ? "run " + run + " has no completed dev evaluation yet"
                    : "run " + run + " has no evaluated checkpoint left that is intact and unchanged; passed over: "
                            + found.skipped());
        }
        return new BestCheckpoint(run, best.checkpoint().epoch(), best.scores().wer(), best.id(), best.withoutSamples(),
                found.skipped());
    }
}
