package io.signstream.ingest.api;

import jakarta.annotation.security.RolesAllowed;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import io.signstream.ingest.domain.AcceptedSample;
import io.signstream.ingest.domain.PhoenixCorpus;
import io.signstream.ingest.domain.SampleIngest;
import io.signstream.ingest.domain.UploadBudget;
import io.signstream.rest.ErrorResponse;
import io.signstream.rest.Roles;

/**
 * {@code POST /samples}: one sample as multipart/form-data: features [T, 6516] ({@code .npy}/{@code .npz}) or
 * Holistic landmarks ({@code .pose}, or [T, 543, 3|4] as {@code .npy}/{@code .npz}) derived here.
 * Answers 201 only once the broker has
 * acknowledged the record; 422 when the sample breaks the contract, 400 when the request is malformed, 503 with
 * Retry-After when the uploads in flight already hold the byte budget ({@link UploadBudget}).
 */
@Path("/samples")
public class SampleResource {

    @Inject
    SampleIngest ingest;

    @Inject
    UploadBudget budget;

    @POST
    @RolesAllowed(Roles.PUBLISHER)
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.APPLICATION_JSON)
    public Response upload(@RestForm("file") FileUpload file,
            @RestForm("sampleId") String sampleId,
            @RestForm("split") String split,
            @RestForm("glosses") String glosses,
            @RestForm("signer") String signer) {
        if (file == null) {
            throw new BadRequestException(Response.status(400).type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(new ErrorResponse("MISSING_FILE", "the multipart part 'file' (a .npy, .npz or .pose "
                            + "file sent with a filename) is missing"))
                    .build());
        }
        String id = sampleId == null || sampleId.isBlank() ? stem(file.fileName()) : sampleId.trim();
        // The file is on disk (Quarkus streams multipart files there); it enters the heap only inside the budget.
        try (UploadBudget.Permit admitted = budget.admit(file.size())) {
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(file.uploadedFile());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            AcceptedSample accepted = ingest.ingest(id, split, glosses, signer, "upload:" + file.fileName(), bytes);
            return Response.status(Response.Status.CREATED).entity(accepted).build();
        }
    }

    /** {@code 01April_2010_Thursday_heute_default-0.npy} (.npz, .pose) names sample {@code 01April_2010_Thursday_heute_default-0}. */
    private static String stem(String fileName) {
        if (fileName == null) {
            return "";
        }
        String name = fileName.substring(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
        for (String extension : PhoenixCorpus.EXTENSIONS) {
            if (name.endsWith(extension)) {
                return name.substring(0, name.length() - extension.length());
            }
        }
        return name;
    }
}
