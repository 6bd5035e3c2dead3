package io.signstream.evaluator.storage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.minio.MinioClient;
import io.signstream.checkpoint.CheckpointStore;
import io.signstream.checkpoint.s3.ObjectStoreClients;
import io.signstream.checkpoint.s3.ObjectStoreConfig;
import io.signstream.checkpoint.s3.ObjectStoreProbe;
import io.signstream.checkpoint.s3.ObjectStoreRetry;

/**
 * The MinIO clients and the stores on the configured bucket (singletons: final library classes take no proxy). The
 * default beans are for REST calls (requests retried briefly); {@link Background} holds the stores of the evaluation
 * worker (retried up to the deadline), and the readiness probe.
 */
@ApplicationScoped
public class ObjectStoreProducer {

    /** The evaluation worker's stores and the readiness probe. */
    public record Background(CheckpointStore checkpoints, EvaluationStore evaluations, ObjectStoreRetry retry,
            ObjectStoreProbe probe) {
    }

    private static MinioClient client(ObjectStoreConfig config, ObjectStoreRetry retry) {
        return ObjectStoreClients.client(config.endpoint(), config.accessKey(), config.secretKey(), retry,
                config.retry().connectTimeout(), config.retry().ioTimeout());
    }

    @Produces
    @Singleton
    MinioClient minioClient(ObjectStoreConfig config) {
        ObjectStoreConfig.Retry r = config.retry();
        return client(config, new ObjectStoreRetry("request", new ObjectStoreRetry.Policy(r.requestDeadline(),
                r.initialBackoff(), r.maxBackoff())));
    }

    @Produces
    @Singleton
    Background background(ObjectStoreConfig config) {
        ObjectStoreConfig.Retry r = config.retry();
        ObjectStoreRetry retry = new ObjectStoreRetry("evaluation", new ObjectStoreRetry.Policy(r.deadline(),
                r.initialBackoff(), r.maxBackoff()));
        MinioClient client = client(config, retry);
        MinioClient probe = ObjectStoreClients.client(config.endpoint(), config.accessKey(), config.secretKey(),
                new ObjectStoreRetry("readiness", ObjectStoreRetry.Policy.singleAttempt()), config.health().timeout(),
                config.health().timeout());
        return new Background(new CheckpointStore(client, config.bucket()), new EvaluationStore(client, config.bucket()),
                retry, new ObjectStoreProbe(probe, config.bucket(), config.health().cache()));
    }

    /** What the shared readiness check (checkpoint-store's ObjectStoreReadiness) asks. */
    @Produces
    @Singleton
    ObjectStoreProbe objectStoreProbe(Background background) {
        return background.probe();
    }

    @Produces
    @Singleton
    CheckpointStore checkpointStore(MinioClient client, ObjectStoreConfig config) {
        return new CheckpointStore(client, config.bucket());
    }

    /** Heartbeats are written by a background thread: one attempt's worth of retry, the next beat is the retry. */
    @Produces
    @Singleton
    InstanceHeartbeats instanceHeartbeats(MinioClient client, ObjectStoreConfig config) {
        return new InstanceHeartbeats(client, config.bucket());
    }

    @Produces
    @Singleton
    EvaluationStore evaluationStore(MinioClient client, ObjectStoreConfig config) {
        return new EvaluationStore(client, config.bucket());
    }
}
