package io.signstream.evaluator.api;

import io.signstream.rest.ErrorReasons;
import io.signstream.rest.ErrorResponse;
import java.time.Duration;

import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.config.ConfigProvider;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.signstream.checkpoint.CheckpointException;
import io.signstream.evaluator.domain.EvaluatorException;
import io.signstream.evaluator.storage.EvaluationStore;

/** The evaluator's own refusals in the shared {@code {"reason", "detail"}} shape (the shared ones: ErrorMappers). */
public class ExceptionMappers {

    @ServerExceptionMapper
    public Response evaluatorException(EvaluatorException e) {
        if (e.status() == 503 && ErrorReasons.OBJECT_STORE_UNAVAILABLE.equals(e.reason())) {
            return unavailable(e.detail());
        }
        return error(e.status(), e.reason(), e.detail());
    }

    @ServerExceptionMapper
    public Response storageUnavailable(EvaluationStore.StorageException e) {
        return unavailable(e.getMessage());
    }

    @ServerExceptionMapper
    public Response checkpointStoreUnavailable(CheckpointException e) {
        return unavailable(e.getMessage());
    }

    /** 503 {@code OBJECT_STORE_UNAVAILABLE} with Retry-After. */
    private Response unavailable(String detail) {
        long retryAfter = ConfigProvider.getConfig().getOptionalValue("signstream.object-store.retry.retry-after",
                Duration.class).orElse(Duration.ofSeconds(5)).toSeconds();
        return Response.status(503).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ErrorResponse(ErrorReasons.OBJECT_STORE_UNAVAILABLE, detail))
                .header("Retry-After", String.valueOf(Math.max(1, retryAfter))).build();
    }

    static Response error(int status, String reason, String detail) {
        return ErrorResponse.of(status, reason, detail);
    }
}
