package io.signstream.ingest.api;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import io.signstream.contract.RejectionReason;
import io.signstream.contract.SampleRejectedException;

/**
 * A well-formed request whose sample breaks the contract: 422 with the reason, or 413 when the sample is
 * larger than the service accepts.
 */
@Provider
public class SampleRejectedExceptionMapper implements ExceptionMapper<SampleRejectedException> {

    @Override
    public Response toResponse(SampleRejectedException e) {
        int status = e.reason() == RejectionReason.TOO_LARGE ? 413 : 422;
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ErrorResponse(e.reason().name(), e.detail())).build();
    }
}
