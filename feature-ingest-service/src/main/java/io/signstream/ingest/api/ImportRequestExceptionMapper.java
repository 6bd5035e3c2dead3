package io.signstream.ingest.api;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import io.signstream.ingest.domain.ImportRequestException;

/** 404 for folders, corpus files and import ids that do not exist, 403 outside the import root, 400 otherwise. */
@Provider
public class ImportRequestExceptionMapper implements ExceptionMapper<ImportRequestException> {

    @Override
    public Response toResponse(ImportRequestException e) {
        int status = switch (e.problem()) {
            case DIRECTORY_NOT_FOUND, NO_CORPUS_FILE, NO_SUCH_IMPORT -> 404;
            case DIRECTORY_NOT_ALLOWED -> 403;
            case MISSING_DIRECTORY, NOT_A_DIRECTORY, BAD_CORPUS_FILE, BAD_SPLIT -> 400;
        };
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ErrorResponse(e.problem().name(), e.getMessage())).build();
    }
}
