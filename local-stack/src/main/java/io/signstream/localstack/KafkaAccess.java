package io.signstream.localstack;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

import io.signstream.contract.Topics;

/**
 * Who may do what on the broker: one principal per service, plus an external publisher, each allowed exactly what it
 * needs (the issue "Only who should"). A SASL local broker applies it ({@link KafkaBroker#applyAccess}); deploy/'s
 * KafkaUsers must grant the same (deploy's tests compare them), so this is the one list to change.
 */
public final class KafkaAccess {

    public static final String INGEST = "feature-ingest-service";
    public static final String NORMALIZATION = "normalization-service";
    public static final String TRAINER = "trainer-service";
    public static final String EVALUATOR = "evaluator-service";
    /** Publishes FeatureSample records straight to features.raw (the Python example), not through the ingest API. */
    public static final String EXTERNAL_PUBLISHER = "external-publisher";

    /** The consumer groups of the services' SmallRye channels (mp.messaging.incoming.*.group.id). */
    public static final String NORMALIZATION_GROUP = "signstream-normalization";
    public static final String EVALUATOR_GROUP = "signstream-evaluator";
    /** The trainers' run queue (signstream.trainer.queue.group): a plain consumer that commits a request when its run ends. */
    public static final String TRAINER_GROUP = "signstream-trainers";

    /** Operations on one named resource (literal name, from any host). */
    public record Grant(ResourceType resourceType, String name, Set<AclOperation> operations) {

        public Grant {
            operations = Set.copyOf(operations);
        }

        static Grant write(String topic) {
            return new Grant(ResourceType.TOPIC, topic, Set.of(AclOperation.WRITE, AclOperation.DESCRIBE));
        }

        static Grant read(String topic) {
            return new Grant(ResourceType.TOPIC, topic, Set.of(AclOperation.READ, AclOperation.DESCRIBE));
        }

        static Grant group(String group) {
            return new Grant(ResourceType.GROUP, group, Set.of(AclOperation.READ));
        }
    }

    /** A Kafka user ({@code User:name}) and everything it is allowed; anything else is denied. */
    public record Principal(String name, List<Grant> grants) {

        public Principal {
            grants = List.copyOf(grants);
        }

        public List<AclBinding> bindings() {
            List<AclBinding> bindings = new ArrayList<>();
            for (Grant grant : grants) {
                for (AclOperation operation : grant.operations()) {
                    bindings.add(new AclBinding(new ResourcePattern(grant.resourceType(), grant.name(), PatternType.LITERAL),
                            new AccessControlEntry("User:" + name, "*", operation, AclPermissionType.ALLOW)));
                }
            }
            return bindings;
        }
    }

    /**
     * The system's principals. The trainer and the evaluator read the normalized topics through feature-stream, which
     * assigns partitions itself and commits nothing: no consumer group, so no group ACL. Every trainer both queues
     * runs on training.requests (POST /runs on any pod) and takes them from it as a member of the trainers' group.
     */
    public static final List<Principal> DEFAULT = List.of(
            // ingest.imports: every instance writes its import jobs and heartbeat there and reads the whole topic by
            // assigning its partition itself (no consumer group, so no group ACL)
            new Principal(INGEST, List.of(
                    Grant.write(Topics.FEATURES_RAW),
                    Grant.write(Topics.INGEST_IMPORTS),
                    Grant.read(Topics.INGEST_IMPORTS))),
            new Principal(EXTERNAL_PUBLISHER, List.of(Grant.write(Topics.FEATURES_RAW))),
            new Principal(NORMALIZATION, List.of(
                    Grant.read(Topics.FEATURES_RAW),
                    Grant.group(NORMALIZATION_GROUP),
                    Grant.write(Topics.FEATURES_NORMALIZED_TRAIN),
                    Grant.write(Topics.FEATURES_NORMALIZED_DEV),
                    Grant.write(Topics.FEATURES_NORMALIZED_TEST),
                    Grant.write(Topics.FEATURES_REJECTED))),
            new Principal(TRAINER, List.of(
                    // the train split; the legacy topic holds data normalized before the split topics (read-only:
                    // nobody may write it any more)
                    Grant.read(Topics.FEATURES_NORMALIZED_TRAIN),
                    Grant.read(Topics.FEATURES_NORMALIZED),
                    Grant.write(Topics.TRAINING_EVENTS),
                    Grant.write(Topics.TRAINING_REQUESTS),
                    Grant.read(Topics.TRAINING_REQUESTS),
                    Grant.group(TRAINER_GROUP))),
            new Principal(EVALUATOR, List.of(
                    Grant.read(Topics.TRAINING_EVENTS),
                    Grant.group(EVALUATOR_GROUP),
                    Grant.read(Topics.FEATURES_NORMALIZED_DEV),
                    Grant.read(Topics.FEATURES_NORMALIZED_TEST),
                    Grant.read(Topics.FEATURES_NORMALIZED),
                    Grant.write(Topics.EVALUATION_RESULTS))));

    public static Principal principal(String name) {
        return DEFAULT.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no Kafka principal " + name + " in " + DEFAULT));
    }

    private KafkaAccess() {
    }
}
