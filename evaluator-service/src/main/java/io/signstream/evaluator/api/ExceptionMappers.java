package io.signstream.evaluator.api;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.signstream.checkpoint.CheckpointException;
import io.signstream.evaluator.domain.EvaluatorException;
import io.signstream.evaluator.storage.EvaluationStore;

/** Turns refusals into {@code {"reason", "detail"}} JSON with the right status. */
public class ExceptionMappers {

    @ServerExceptionMapper
    public Response evaluatorException(EvaluatorException e) {
        return error(e.status(), e.reason(), e.detail());
    }

    @ServerExceptionMapper
    public Response storageUnavailable(EvaluationStore.StorageException e) {
        return error(503, "OBJECT_STORE_UNAVAILABLE", e.getMessage());
    }

    @ServerExceptionMapper
    public Response checkpointStoreUnavailable(CheckpointException e) {
        return error(503, "OBJECT_STORE_UNAVAILABLE", e.getMessage());
    }

    /** Unknown paths, wrong methods, unsupported media types: the framework's status, our JSON shape. */
    @ServerExceptionMapper
    public Response webApplicationException(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        Response.Status known = Response.Status.fromStatusCode(status);
        String reason = known == null ? "HTTP_" + status : known.name();
        return error(status, reason, e.getMessage());
    }

    static Response error(int status, String reason, String detail) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(new ErrorResponse(reason, detail)).build();
    }
}
