package io.signstream.trainer.api;

import jakarta.annotation.security.RolesAllowed;
import io.signstream.rest.ErrorReasons;
import io.signstream.rest.Roles;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.signstream.contract.proto.Split;
import io.signstream.featurestream.FeatureStream;
import io.signstream.featurestream.FeatureStreamConfig;
import io.signstream.featurestream.NormalizedSample;
import io.signstream.featurestream.PassRequest;
import io.signstream.featurestream.SamplePass;
import io.signstream.teacher.TeacherConfig;
import io.signstream.trainer.domain.Diagnostics;
import io.signstream.trainer.domain.RunManager;
import io.signstream.trainer.domain.RunOptions;
import io.signstream.trainer.domain.TrainingRun;

/**
 * {@code POST /diagnostics}: the seed project's checks on the first train samples of {@code features.normalized}.
 * Runs synchronously (the overfit check takes a while on the research model); refused while a run trains, so the
 * two never compete for the device.
 */
@Path("/diagnostics")
public class DiagnosticsResource {

    /**
     * @param samples train samples to look at (default 8, at most 64)
     * @param model "small" (default) or "defaults"
     * @param modelConfig a full teacher configuration instead
     * @param overfitSamples samples in the overfit batch (default 2)
     * @param overfitMaxSteps give up after (default 300)
     * @param overfitLearningRate constant rate (default 3e-3)
     */
    public record DiagnosticsRequest(Integer samples, String model, TeacherConfig modelConfig, Long seed,
            Integer overfitSamples, Integer overfitMaxSteps, Float overfitLearningRate) {
    }

    @Inject
    RunManager runs;

    @Inject
    FeatureStreamConfig streamConfig;

    @POST
    @RolesAllowed(Roles.TRAINER)
    public Response run(DiagnosticsRequest request) {
        DiagnosticsRequest r = request == null ? new DiagnosticsRequest(null, null, null, null, null, null, null)
                : request;
        if (runs.active().isPresent()) {
            throw new RunManager.ConflictException("run " + runs.active().get().runId()
                    + " is training on this trainer: diagnostics wait until it ends");
        }
        int count = r.samples() != null ? r.samples() : 8;
        if (count < 1 || count > 64) {
            throw new IllegalArgumentException("samples must be within 1..64, not " + count);
        }
        TeacherConfig model = r.modelConfig() != null ? r.modelConfig()
                : RunOptions.preset(r.model() != null ? r.model() : "small");
        Diagnostics.Options options = new Diagnostics.Options(model, r.seed() != null ? r.seed() : 42L,
                r.overfitSamples() != null ? r.overfitSamples() : 2,
                r.overfitMaxSteps() != null ? r.overfitMaxSteps() : 300,
                r.overfitLearningRate() != null ? r.overfitLearningRate() : 3e-3f);
        List<NormalizedSample> samples = firstTrainSamples(count);
        if (samples.isEmpty()) {
            return RunResource.error(Response.Status.CONFLICT, "NO_TRAIN_SAMPLES", "no stamped TRAIN samples on " + streamConfig.topics().describe(Split.TRAIN));
        }
        TrainingRun.SessionFactory sessions = runs.environment().sessions();
        return Response.ok(Diagnostics.run(samples, options, sessions)).build();
    }

    private List<NormalizedSample> firstTrainSamples(int count) {
        List<NormalizedSample> samples = new ArrayList<>();
        try (FeatureStream stream = new FeatureStream(streamConfig);
                SamplePass pass = stream.open(PassRequest.of(Split.TRAIN))) {
            while (samples.size() < count && pass.hasNext()) {
                samples.add(pass.next());
            }
        }
        return samples;
    }

    @ServerExceptionMapper
    public Response invalid(IllegalArgumentException e) {
        return RunResource.error(Response.Status.BAD_REQUEST, ErrorReasons.INVALID_REQUEST, e.getMessage());
    }

    @ServerExceptionMapper
    public Response conflict(RunManager.ConflictException e) {
        return RunResource.error(Response.Status.CONFLICT, "RUN_CONFLICT", e.getMessage());
    }
}
