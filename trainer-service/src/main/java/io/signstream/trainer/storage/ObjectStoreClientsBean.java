package io.signstream.trainer.storage;

import io.minio.MinioClient;
import io.signstream.checkpoint.s3.ObjectStoreClients;
import io.signstream.checkpoint.s3.ObjectStoreConfig;
import io.signstream.checkpoint.s3.ObjectStoreProbe;
import io.signstream.checkpoint.s3.ObjectStoreRetry;

/**
 * The trainer's three ways to the bucket: the run's (retried up to the deadline), the REST calls' (retried briefly),
 * and readiness's (one attempt, short timeouts, cached).
 */
public final class ObjectStoreClientsBean {

    private final ObjectStoreRetry runRetry;
    private final ObjectStoreRetry requestRetry;
    private final MinioClient run;
    private final MinioClient requests;
    private final ObjectStoreProbe probe;

    public ObjectStoreClientsBean(ObjectStoreConfig config) {
        ObjectStoreConfig.Retry r = config.retry();
        runRetry = new ObjectStoreRetry("run", new ObjectStoreRetry.Policy(r.deadline(), r.initialBackoff(),
                r.maxBackoff()));
        requestRetry = new ObjectStoreRetry("request", new ObjectStoreRetry.Policy(r.requestDeadline(),
                r.initialBackoff(), r.maxBackoff()));
        run = ObjectStoreClients.client(config.endpoint(), config.accessKey(), config.secretKey(), runRetry,
                r.connectTimeout(), r.ioTimeout());
        requests = ObjectStoreClients.client(config.endpoint(), config.accessKey(), config.secretKey(), requestRetry,
                r.connectTimeout(), r.ioTimeout());
        MinioClient probeClient = ObjectStoreClients.client(config.endpoint(), config.accessKey(), config.secretKey(),
                new ObjectStoreRetry("readiness", ObjectStoreRetry.Policy.singleAttempt()), config.health().timeout(),
                config.health().timeout());
        probe = new ObjectStoreProbe(probeClient, config.bucket(), config.health().cache());
    }

    /** For the training run: checkpoints and run.json, retried up to the deadline. */
    public MinioClient run() {
        return run;
    }

    /** For REST calls. */
    public MinioClient requests() {
        return requests;
    }

    public ObjectStoreRetry runRetry() {
        return runRetry;
    }

    public ObjectStoreRetry requestRetry() {
        return requestRetry;
    }

    public ObjectStoreProbe probe() {
        return probe;
    }
}
