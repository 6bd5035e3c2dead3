package io.signstream.checkpoint.s3;

import java.time.Duration;
import java.time.Instant;

import io.minio.BucketExistsArgs;
import io.minio.MinioClient;

/**
 * Whether the bucket answers, for readiness: one HEAD of the bucket through a client that does not retry (its
 * timeouts bound the probe), the answer kept for {@code cacheFor} so frequent probes do not hammer the store.
 */
public final class ObjectStoreProbe {

    /** @param error why the bucket is not usable; null when it is */
    public record Result(boolean up, String error, Instant checkedAt, Instant downSince) {
    }

    private final MinioClient client;
    private final String bucket;
    private final Duration cacheFor;
    private Result last;

    /** @param client a client with short timeouts and no retry ({@link ObjectStoreRetry.Policy#singleAttempt()}) */
    public ObjectStoreProbe(MinioClient client, String bucket, Duration cacheFor) {
        this.client = client;
        this.bucket = bucket;
        this.cacheFor = cacheFor;
    }

    public String bucket() {
        return bucket;
    }

    public synchronized Result check() {
        Instant now = Instant.now();
        if (last != null && last.checkedAt().plus(cacheFor).isAfter(now)) {
            return last;
        }
        String error;
        try {
            error = client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build()) ? null
                    : "bucket " + bucket + " does not exist";
        } catch (Exception e) {
            error = e.getMessage() == null ? e.toString() : e.getMessage();
        }
        Instant downSince = error == null ? null : last != null && last.downSince() != null ? last.downSince() : now;
        last = new Result(error == null, error, now, downSince);
        return last;
    }
}
