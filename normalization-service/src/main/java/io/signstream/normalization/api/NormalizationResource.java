package io.signstream.normalization.api;

import jakarta.annotation.security.RolesAllowed;
import io.signstream.rest.Roles;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.signstream.featurenormalization.Normalization;
import io.signstream.normalization.messaging.LoopMetrics;
import io.signstream.normalization.messaging.NormalizationLoop;
import io.signstream.normalization.messaging.NormalizationService;

/** What this instance applies, to which topics, and how much it has done. */
@Path("/normalization")
@Produces(MediaType.APPLICATION_JSON)
public class NormalizationResource {

    public record Topics(String source, String normalized, String rejected) {
    }

    public record Counters(long recordsIn, long recordsOut, long recordsRejected, Map<String, Long> rejectedByReason,
            long bytesIn, long bytesOut, long failedBatches) {
    }

    public record Status(String method, int methodVersion, Map<String, String> parameters, String normalizedBy,
            Topics topics, String groupId, boolean running, boolean joinedGroup, List<String> assignedPartitions,
            Counters counters) {
    }

    @Inject
    NormalizationService service;

    @GET
    @RolesAllowed({ Roles.VIEWER, Roles.PUBLISHER, Roles.TRAINER, Roles.EVALUATOR })
    public Status status() {
        Normalization normalization = service.normalization();
        NormalizationLoop loop = service.loop();
        LoopMetrics metrics = loop.metrics();
        return new Status(normalization.method(), normalization.version(),
                new java.util.TreeMap<>(normalization.parameters()), service.normalizedBy(),
                new Topics(loop.settings().sourceTopic(), loop.settings().outputTopic(),
                        loop.settings().rejectedTopic()),
                loop.settings().groupId(), loop.isAlive(), loop.hasJoinedGroup(),
                loop.assignment().stream().map(Object::toString).sorted().toList(),
                new Counters(metrics.recordsIn(), metrics.recordsOut(), metrics.recordsRejected(),
                        metrics.rejectedByReason(), metrics.bytesIn(), metrics.bytesOut(), metrics.failedBatches()));
    }
}
