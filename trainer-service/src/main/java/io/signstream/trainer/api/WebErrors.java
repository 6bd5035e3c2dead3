package io.signstream.trainer.api;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Malformed JSON, unknown paths, wrong methods: the framework's status, the service's JSON shape. */
public class WebErrors {

    @ServerExceptionMapper
    public Response webApplicationException(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        Response.Status known = Response.Status.fromStatusCode(status);
        return Response.status(status).type(jakarta.ws.rs.core.MediaType.APPLICATION_JSON)
                .entity(new ErrorResponse(known == null ? "HTTP_" + status : known.name(), e.getMessage())).build();
    }
}
