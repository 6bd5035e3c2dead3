package io.signstream.evaluator.storage;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;

import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.messages.Item;

/**
 * The evaluator instances that are alive, as the bucket tells every replica alike: each instance rewrites
 * {@code evaluators/{instance}.json} every heartbeat interval and removes it when it stops. An instance whose object
 * is older than the lease (its last-modified time, the object store's clock) is dead, and so are the jobs it owned.
 */
public final class InstanceHeartbeats {

    public static final String PREFIX = "evaluators/";

    private final MinioClient client;
    private final String bucket;

    public InstanceHeartbeats(MinioClient client, String bucket) {
        this.client = client;
        this.bucket = bucket;
    }

    public static String objectName(String instance) {
        return PREFIX + instance + ".json";
    }

    public void beat(String instance) {
        byte[] json = ("{\"instance\":\"" + instance + "\",\"heartbeatAt\":\"" + Instant.now() + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        try {
            client.putObject(PutObjectArgs.builder().bucket(bucket).object(objectName(instance))
                    .stream(new ByteArrayInputStream(json), json.length, -1).contentType("application/json").build());
        } catch (Exception e) {
            throw new EvaluationStore.StorageException("cannot write the heartbeat s3://" + bucket + "/"
                    + objectName(instance) + ": " + e.getMessage(), e);
        }
    }

    /** Called when the instance stops: its unfinished jobs are taken over at once instead of after the lease. */
    public void remove(String instance) {
        try {
            client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(objectName(instance)).build());
        } catch (Exception e) {
            throw new EvaluationStore.StorageException("cannot remove s3://" + bucket + "/" + objectName(instance)
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * The instances whose heartbeat is younger than the lease. The object store's last-modified time is compared with
     * this machine's clock: the lease (tens of seconds) must exceed the clocks' skew, which NTP keeps far smaller.
     */
    public Set<String> alive(Duration lease) {
        Instant oldest = Instant.now().minus(lease);
        Set<String> alive = new LinkedHashSet<>();
        try {
            for (Result<Item> result : client.listObjects(
                    ListObjectsArgs.builder().bucket(bucket).prefix(PREFIX).recursive(true).build())) {
                Item item = result.get();
                String name = item.objectName();
                if (item.isDir() || !name.endsWith(".json") || item.lastModified() == null) {
                    continue;
                }
                if (item.lastModified().toInstant().isAfter(oldest)) {
                    alive.add(name.substring(PREFIX.length(), name.length() - ".json".length()));
                }
            }
        } catch (Exception e) {
            throw new EvaluationStore.StorageException("cannot list s3://" + bucket + "/" + PREFIX + ": "
                    + e.getMessage(), e);
        }
        return alive;
    }
}
