package io.signstream.evaluator.api;

import jakarta.annotation.security.RolesAllowed;
import io.signstream.rest.Roles;
import java.net.URI;
import java.util.List;
import java.util.Locale;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.signstream.contract.proto.Split;
import io.signstream.evaluator.domain.Evaluation;
import io.signstream.evaluator.domain.EvaluationRequest;
import io.signstream.evaluator.domain.EvaluationService;
import io.signstream.evaluator.domain.EvaluationSpec;
import io.signstream.evaluator.domain.EvaluationStatus;
import io.signstream.evaluator.domain.EvaluatorException;
import io.signstream.evaluator.domain.Reasons;

/** Evaluation jobs: start one, follow it, read its WER and per-sample results, list a run's evaluations. */
@Path("/evaluations")
@Produces(MediaType.APPLICATION_JSON)
public class EvaluationResource {

    @Inject
    EvaluationService service;

    @Inject
    ObjectMapper json;

    /** Queues an evaluation; 202 with the job (status QUEUED) and its Location. */
    @POST
    @RolesAllowed(Roles.EVALUATOR)
    public Response create(byte[] body) {
        EvaluationSpec spec = EvaluationRequest.parse(body, service.defaultDecoder());
        Evaluation job = service.submit(spec);
        return Response.accepted(job).location(URI.create("/evaluations/" + job.id())).build();
    }

    /** Evaluations, oldest first, without per-sample results; filtered by run, split (dev|test), status. */
    @GET
    @RolesAllowed({ Roles.VIEWER, Roles.PUBLISHER, Roles.TRAINER, Roles.EVALUATOR })
    public List<Evaluation> list(@QueryParam("run") String run, @QueryParam("split") String split,
            @QueryParam("status") String status) {
        if (run != null) {
            service.requireKnownRun(run);
        }
        Split splitFilter = split == null || split.isBlank() ? null : EvaluationRequest.parseSplit(split);
        return service.list(run, splitFilter, parseStatus(status)).stream().map(Evaluation::withoutSamples).toList();
    }

    /** The job with its scores and one page of per-sample results ({@code page}, {@code size}). */
    @GET
    @RolesAllowed({ Roles.VIEWER, Roles.PUBLISHER, Roles.TRAINER, Roles.EVALUATOR })
    @Path("{id}")
    public ObjectNode get(@PathParam("id") String id, @QueryParam("page") String page, @QueryParam("size") String size) {
        Paging paging = Paging.parse(page, size);
        Evaluation evaluation = find(id);
        ObjectNode view = json.valueToTree(evaluation.withoutSamples());
        if (evaluation.status() == EvaluationStatus.COMPLETED) {
            view.set("samples", json.valueToTree(paging.of(service.samples(evaluation))));
        }
        return view;
    }

    /** Only the per-sample results, paged: id, reference, hypothesis, S/D/I, alignment. */
    @GET
    @RolesAllowed({ Roles.VIEWER, Roles.PUBLISHER, Roles.TRAINER, Roles.EVALUATOR })
    @Path("{id}/samples")
    public Paging.Page<Evaluation.SampleResult> samples(@PathParam("id") String id, @QueryParam("page") String page,
            @QueryParam("size") String size) {
        Paging paging = Paging.parse(page, size);
        Evaluation evaluation = find(id);
        return paging.of(service.samples(evaluation));
    }

    private Evaluation find(String id) {
        return service.find(id).orElseThrow(() -> EvaluatorException.notFound(Reasons.UNKNOWN_EVALUATION,
                "no evaluation with id '" + id + "'"));
    }

    private static EvaluationStatus parseStatus(String status) {
        if (status == null || status.isBlank()) {
            return null;
        }
        try {
            return EvaluationStatus.valueOf(status.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw EvaluatorException.badRequest(Reasons.BAD_STATUS, "status must be one of "
                    + List.of(EvaluationStatus.values()) + ", not '" + status + "'");
        }
    }
}
