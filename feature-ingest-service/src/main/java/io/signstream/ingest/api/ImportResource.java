package io.signstream.ingest.api;

import jakarta.annotation.security.RolesAllowed;
import io.signstream.rest.Roles;
import java.net.URI;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.signstream.ingest.domain.ImportJob;
import io.signstream.ingest.domain.ImportProblem;
import io.signstream.ingest.domain.ImportRequestException;
import io.signstream.ingest.domain.ImportService;

/**
 * Bulk import of a PHOENIX-layout dataset folder, run as a background job; the jobs of every replica are listed and
 * found (their state travels on ingest.imports).
 */
@Path("/imports")
@Produces(MediaType.APPLICATION_JSON)
public class ImportResource {

    @Inject
    ImportService imports;

    @POST
    @RolesAllowed(Roles.PUBLISHER)
    @Consumes(MediaType.APPLICATION_JSON)
    public Response start(ImportRequest request) {
        ImportJob job = request == null ? imports.start(null, null) : imports.start(request.directory(), request.splits());
        return Response.accepted(job.view(false)).location(URI.create("/imports/" + job.id())).build();
    }

    @GET
    @RolesAllowed({ Roles.VIEWER, Roles.PUBLISHER, Roles.TRAINER, Roles.EVALUATOR })
    public List<ImportJob.View> list() {
        return imports.views();
    }

    @GET
    @RolesAllowed({ Roles.VIEWER, Roles.PUBLISHER, Roles.TRAINER, Roles.EVALUATOR })
    @Path("/{id}")
    public ImportJob.View get(@PathParam("id") String id) {
        return imports.find(id)
                .orElseThrow(() -> new ImportRequestException(ImportProblem.NO_SUCH_IMPORT, "no import with id " + id));
    }
}
