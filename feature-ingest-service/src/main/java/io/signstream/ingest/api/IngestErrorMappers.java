package io.signstream.ingest.api;

import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.signstream.contract.RejectionReason;
import io.signstream.contract.SampleRejectedException;
import io.signstream.ingest.domain.ImportRequestException;
import io.signstream.ingest.domain.UploadsBusyException;
import io.signstream.ingest.messaging.PublishFailedException;
import io.signstream.rest.ErrorResponse;

/** The ingest service's own refusals, in the shared {@code {reason, detail}} shape (the shared ones: ErrorMappers). */
public class IngestErrorMappers {

    private static final Logger LOG = Logger.getLogger(IngestErrorMappers.class);

    /** 503: the uploads being processed hold the byte budget; the upload was not read. */
    public static final String UPLOADS_BUSY = "UPLOADS_BUSY";

    /** A well-formed request whose sample breaks the contract: 422 with the reason, 413 when it is too large. */
    @ServerExceptionMapper
    public Response sampleRejected(SampleRejectedException e) {
        int status = e.reason() == RejectionReason.TOO_LARGE ? 413 : 422;
        return ErrorResponse.of(status, e.reason().name(), e.detail());
    }

    /** The sample was valid but the broker did not acknowledge it: 503, the caller may retry the same upload. */
    @ServerExceptionMapper
    public Response publishFailed(PublishFailedException e) {
        LOG.warn(e.getMessage());
        return Response.fromResponse(ErrorResponse.of(503, "BROKER_UNAVAILABLE", e.getMessage()))
                .header("Retry-After", "10").build();
    }

    /** Too many upload bytes in flight: 503 (the server's capacity, not this caller's rate), retry after a while. */
    @ServerExceptionMapper
    public Response uploadsBusy(UploadsBusyException e) {
        return Response.fromResponse(ErrorResponse.of(503, UPLOADS_BUSY, e.getMessage()))
                .header("Retry-After", Integer.toString(e.retryAfterSeconds())).build();
    }

    /** 404 for what the caller may not or cannot import and for unknown import ids, 400 for malformed requests. */
    @ServerExceptionMapper
    public Response importRequest(ImportRequestException e) {
        int status = switch (e.problem()) {
            case DIRECTORY_NOT_FOUND, NO_CORPUS_FILE, NO_SUCH_IMPORT -> 404;
            case MISSING_DIRECTORY, BAD_CORPUS_FILE, BAD_SPLIT -> 400;
        };
        return ErrorResponse.of(status, e.problem().name(), e.getMessage());
    }
}
