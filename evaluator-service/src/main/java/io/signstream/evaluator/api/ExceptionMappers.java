package io.signstream.evaluator.api;

import io.signstream.rest.ErrorResponse;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.signstream.checkpoint.CheckpointException;
import io.signstream.evaluator.domain.EvaluatorException;
import io.signstream.evaluator.storage.EvaluationStore;

/** The evaluator's own refusals in the shared {@code {"reason", "detail"}} shape (the shared ones: ErrorMappers). */
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

    static Response error(int status, String reason, String detail) {
        return ErrorResponse.of(status, reason, detail);
    }
}
