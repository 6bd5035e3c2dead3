package io.signstream.trainer.api;

import jakarta.annotation.security.RolesAllowed;
import io.signstream.rest.ErrorReasons;
import io.signstream.rest.ErrorResponse;
import io.signstream.rest.Roles;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.signstream.checkpoint.s3.ObjectStoreConfig;
import io.signstream.teacher.TeacherConfig;
import io.signstream.trainer.domain.RunManager;
import io.signstream.trainer.domain.RunOptions;
import io.signstream.trainer.domain.RunState;

/**
 * Training runs: queue one, watch it, stop it, from any trainer pod (with the run queue; without it, one run at a time
 * on the trainer asked).
 */
@Path("/runs")
public class RunResource {

    @Inject
    RunManager runs;
    @Inject
    ObjectMapper objectMapper;
    @Inject
    ObjectStoreConfig objectStore;

    @ConfigProperty(name = "signstream.validation.max-frames")
    int maxFrames;
    @ConfigProperty(name = "signstream.trainer.max-consecutive-skips")
    int maxConsecutiveSkips;
    @ConfigProperty(name = "signstream.trainer.default-model")
    String defaultModel;
    @ConfigProperty(name = "signstream.trainer.max-unalignable-share", defaultValue = "0.05")
    double maxUnalignableShare;

    @POST
    @RolesAllowed(Roles.TRAINER)
    public Response start(RunRequest request) {
        RunRequest r = request == null ? RunRequest.empty() : request;
        RunState state = runs.start(r.runId(), options(r));
        return Response.created(URI.create("/runs/" + state.runId())).entity(state).build();
    }

    /**
     * Every run, newest first. While the bucket does not answer: 200 with the runs this trainer last knew, each with
     * {@code "stale": true} and {@code "staleSince"} (when the store stopped answering), and a {@code Warning} header.
     */
    @GET
    @RolesAllowed({ Roles.VIEWER, Roles.PUBLISHER, Roles.TRAINER, Roles.EVALUATOR })
    public Response list() {
        RunManager.StatusRead<List<RunState>> read = runs.listStatus();
        if (!read.stale()) {
            return Response.ok(read.value()).build();
        }
        return stale(Response.ok(read.value().stream().map(state -> staleEntity(state, read.staleSince())).toList()));
    }

    /** One run; stale as in {@link #list()} while the bucket does not answer and this trainer knew the run. */
    @GET
    @RolesAllowed({ Roles.VIEWER, Roles.PUBLISHER, Roles.TRAINER, Roles.EVALUATOR })
    @Path("/{runId}")
    public Response get(@PathParam("runId") String runId) {
        RunManager.StatusRead<java.util.Optional<RunState>> read = runs.findStatus(runId);
        if (read.value().isEmpty()) {
            return error(Response.Status.NOT_FOUND, "UNKNOWN_RUN", "no run " + runId);
        }
        if (!read.stale()) {
            return Response.ok(read.value().get()).build();
        }
        return stale(Response.ok(staleEntity(read.value().get(), read.staleSince())));
    }

    private Map<String, Object> staleEntity(RunState state, Instant staleSince) {
        Map<String, Object> json = new LinkedHashMap<>(json().convertValue(state,
                new TypeReference<Map<String, Object>>() {
                }));
        json.put("stale", true);
        json.put("staleSince", staleSince.toString());
        return json;
    }

    private static Response stale(Response.ResponseBuilder response) {
        return response.header("Warning", "110 - \"Response is Stale: the object store does not answer\"").build();
    }

    private ObjectMapper json() {
        return objectMapper;
    }

    @POST
    @RolesAllowed(Roles.TRAINER)
    @Path("/{runId}/stop")
    public Response stop(@PathParam("runId") String runId) {
        if (runs.find(runId).isEmpty()) {
            return error(Response.Status.NOT_FOUND, "UNKNOWN_RUN", "no run " + runId);
        }
        return Response.accepted(runs.stop(runId)).build();
    }

    /**
     * Resumes a FAILED or STOPPED run from its newest intact checkpoint: 202 + the run (STARTING); 404 for an unknown
     * run; 409 {@code RUN_NOT_RESUMABLE} for a run in another state, {@code RUN_CONFLICT} while this trainer trains.
     */
    @POST
    @RolesAllowed(Roles.TRAINER)
    @Path("/{runId}/resume")
    public Response resume(@PathParam("runId") String runId) {
        return Response.accepted(runs.resume(runId)).location(URI.create("/runs/" + runId)).build();
    }

    RunOptions options(RunRequest r) {
        String preset = r.modelConfig() != null ? "custom" : r.model() != null ? r.model() : defaultModel;
        TeacherConfig model = r.modelConfig() != null ? r.modelConfig() : RunOptions.preset(preset);
        if (r.clipNorm() != null) {
            model = model.withClipNorm(r.clipNorm());
        }
        if (r.temporalStride() != null) {
            if (!TeacherConfig.TEMPORAL_STRIDES.contains(r.temporalStride())) {
                throw new IllegalArgumentException("temporalStride must be one of " + TeacherConfig.TEMPORAL_STRIDES
                        + " (input frames per output frame), not " + r.temporalStride());
            }
            model = model.withTemporalStride(r.temporalStride());
        }
        if (r.temporalAttention() != null) {
            model = model.withTemporalAttention(r.temporalAttention());
        }
        if (r.dropout() != null) {
            model = model.withDropout(r.dropout());
        }
        if (r.auxiliaryCtcWeight() != null) {
            model = model.toBuilder().auxiliaryCtcWeight(r.auxiliaryCtcWeight()).build();
        }
        if (r.weightAverageDecay() != null) {
            model = model.toBuilder().weightAverageDecay(r.weightAverageDecay()).build();
        }
        return new RunOptions(
                r.epochs() != null ? r.epochs() : 10,
                r.batchSize() != null ? r.batchSize() : 2,
                r.learningRate() != null ? r.learningRate() : RunOptions.DEFAULT_LEARNING_RATE,
                r.warmupSteps() != null ? r.warmupSteps() : -1,
                r.seed() != null ? r.seed() : 42L,
                preset,
                model,
                r.maxFrames() != null ? r.maxFrames() : maxFrames,
                r.maxConsecutiveSkips() != null ? r.maxConsecutiveSkips() : maxConsecutiveSkips,
                r.maxUnalignableShare() != null ? r.maxUnalignableShare() : maxUnalignableShare,
                r.speedPerturbation());
    }

    /** Every refusal of the service: {@code {"reason", "detail"}}, the shape all signstream services answer with. */
    static Response error(Response.Status status, String reason, String detail) {
        return ErrorResponse.of(status.getStatusCode(), reason, detail);
    }

    @ServerExceptionMapper
    public Response invalid(IllegalArgumentException e) {
        return error(Response.Status.BAD_REQUEST, ErrorReasons.INVALID_REQUEST, e.getMessage());
    }

    @ServerExceptionMapper
    public Response conflict(RunManager.ConflictException e) {
        return error(Response.Status.CONFLICT, e.reason(), e.getMessage());
    }

    /** The bucket does not answer: 503 {@code OBJECT_STORE_UNAVAILABLE} with Retry-After, never a 500. */
    @ServerExceptionMapper
    public Response unavailable(RunManager.StoreUnavailableException e) {
        return Response.fromResponse(error(Response.Status.SERVICE_UNAVAILABLE, ErrorReasons.OBJECT_STORE_UNAVAILABLE,
                e.getMessage())).header("Retry-After", Math.max(1, objectStore.retry().retryAfter().toSeconds()))
                .build();
    }

    /** The broker did not take the run request: 503 with Retry-After; the run is FAILED and can be resumed. */
    @ServerExceptionMapper
    public Response queueUnavailable(RunManager.QueueUnavailableException e) {
        return Response.fromResponse(error(Response.Status.SERVICE_UNAVAILABLE, "BROKER_UNAVAILABLE", e.getMessage()))
                .header("Retry-After", Math.max(1, objectStore.retry().retryAfter().toSeconds())).build();
    }

    @ServerExceptionMapper
    public Response unknown(RunManager.UnknownRunException e) {
        return error(Response.Status.NOT_FOUND, "UNKNOWN_RUN", e.getMessage());
    }
}
