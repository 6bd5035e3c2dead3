package io.signstream.rest;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Every 4xx/5xx answer of every signstream service: a stable, machine-readable {@code reason} (one of
 * {@link ErrorReasons}, a {@link io.signstream.contract.RejectionReason} name for samples that break the
 * contract, or a service's own documented code) and a sentence for people saying what to change.
 */
public record ErrorResponse(String reason, String detail) {

    /** The answer with this status, as JSON. */
    public static Response of(int status, String reason, String detail) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(new ErrorResponse(reason, detail))
                .build();
    }
}
