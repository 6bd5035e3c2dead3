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
import io.signstream.normalization.messaging.NormalizationMetrics;
import io.signstream.normalization.messaging.NormalizationService;
import io.signstream.normalization.messaging.PartitionTracker;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.providers.extension.HealthCenter;

/** What this instance applies, to which topics, and how much it has done. */
@Path("/normalization")
@Produces(MediaType.APPLICATION_JSON)
public class NormalizationResource {

    /** @param normalized split (train, dev, test) to the topic its normalized samples go to */
    public record Topics(String source, Map<String, String> normalized, String rejected) {
    }

    public record Counters(long recordsIn, long recordsOut, long recordsRejected, Map<String, Long> rejectedByReason,
            long bytesIn, long bytesOut, long failedSends) {
    }

    public record Status(String method, int methodVersion, Map<String, String> parameters, String normalizedBy,
            Topics topics, String groupId, boolean running, boolean joinedGroup, List<String> assignedPartitions, Counters counters) {
    }

    @Inject
    NormalizationService service;

    @Inject
    @Identifier("normalization-partitions")
    PartitionTracker partitions;

    /** The connector's own view: running means no channel has failed (the liveness check's answer). */
    @Inject
    HealthCenter health;

    @GET
    @RolesAllowed({ Roles.VIEWER, Roles.PUBLISHER, Roles.TRAINER, Roles.EVALUATOR })
    public Status status() {
        Normalization normalization = service.normalization();
        NormalizationMetrics metrics = service.metrics();
        return new Status(normalization.method(), normalization.version(),
                new java.util.TreeMap<>(normalization.parameters()), service.normalizedBy(),
                new Topics(service.rawTopic(), service.normalizedTopics(), service.rejectedTopic()),
                service.groupId(), health.getLiveness().isOk(), partitions.joinedGroup(), partitions.partitions(),
                new Counters(metrics.recordsIn(), metrics.recordsOut(), metrics.recordsRejected(),
                        metrics.rejectedByReason(), metrics.bytesIn(), metrics.bytesOut(), metrics.failedSends()));
    }
}
