package io.signstream.evaluator.storage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.minio.MinioClient;
import io.signstream.checkpoint.CheckpointStore;

/** The MinIO client and the two stores on the configured bucket (singletons: final library classes take no proxy). */
@ApplicationScoped
public class ObjectStoreProducer {

    @ConfigProperty(name = "signstream.object-store.endpoint")
    String endpoint;

    @ConfigProperty(name = "signstream.object-store.access-key")
    String accessKey;

    @ConfigProperty(name = "signstream.object-store.secret-key")
    String secretKey;

    @ConfigProperty(name = "signstream.object-store.bucket")
    String bucket;

    @Produces
    @Singleton
    MinioClient minioClient() {
        return MinioClient.builder().endpoint(endpoint).credentials(accessKey, secretKey).build();
    }

    @Produces
    @Singleton
    CheckpointStore checkpointStore(MinioClient client) {
        return new CheckpointStore(client, bucket);
    }

    @Produces
    @Singleton
    EvaluationStore evaluationStore(MinioClient client) {
        return new EvaluationStore(client, bucket);
    }
}
