package io.signstream.ingest.api;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import org.jboss.logging.Logger;

import io.signstream.ingest.messaging.PublishFailedException;

/** The sample was valid but the broker did not acknowledge it: 503, the caller may retry the same upload. */
@Provider
public class PublishFailedExceptionMapper implements ExceptionMapper<PublishFailedException> {

    private static final Logger LOG = Logger.getLogger(PublishFailedExceptionMapper.class);

    @Override
    public Response toResponse(PublishFailedException e) {
        LOG.warn(e.getMessage());
        return Response.status(503).type(MediaType.APPLICATION_JSON_TYPE).header("Retry-After", "10")
                .entity(new ErrorResponse("BROKER_UNAVAILABLE", e.getMessage())).build();
    }
}
