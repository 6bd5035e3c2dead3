package io.signstream.trainer.ownership;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.signstream.checkpoint.CheckpointRef;

/**
 * Lease and stop-request objects of a run. Writes carry {@code If-Match} (the ETag read) or {@code If-None-Match: *}:
 * MinIO and AWS S3 refuse a write that lost the race (412), which makes a claim atomic there. S3Proxy 2.6 (the local
 * stack) ignores both headers (measured), so claims are also read back after a settle time, and every write of a run
 * is fenced by reading the lease again (README, "Runs on several trainers").
 */
public final class LeaseStore {

    public static final String LEASE = "lease.json";
    public static final String STOP_REQUEST = "stop-requested.json";

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final MinioClient client;
    private final String bucket;

    public LeaseStore(MinioClient client, String bucket) {
        this.client = client;
        this.bucket = bucket;
    }

    /** A lease as read, with the ETag a conditional write names. */
    public record Read(RunLease lease, String etag) {
    }

    /** The store refused a conditional write: another trainer wrote the lease since it was read. */
    public static final class ConflictException extends RuntimeException {
        ConflictException(String message) {
            super(message);
        }
    }

    public static String leaseObject(String runId) {
        return CheckpointRef.runPrefix(runId) + LEASE;
    }

    public static String stopObject(String runId) {
        return CheckpointRef.runPrefix(runId) + STOP_REQUEST;
    }

    public Optional<Read> read(String runId) {
        try (GetObjectResponse in = client.getObject(GetObjectArgs.builder().bucket(bucket)
                .object(leaseObject(runId)).build())) {
            RunLease lease = JSON.readValue(in.readAllBytes(), RunLease.class);
            return Optional.of(new Read(lease, in.headers().get("ETag")));
        } catch (ErrorResponseException e) {
            if ("NoSuchKey".equals(e.errorResponse().code())) {
                return Optional.empty();
            }
            throw new IllegalStateException("cannot read " + leaseObject(runId) + ": " + e.getMessage(), e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + leaseObject(runId) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes the lease if nobody wrote it since {@code previous} was read (null: if there is none).
     *
     * @throws ConflictException when the store refuses the condition
     */
    public void write(RunLease lease, Read previous) {
        Map<String, String> condition = previous == null || previous.etag() == null ? Map.of("If-None-Match", "*")
                : Map.of("If-Match", previous.etag());
        put(leaseObject(lease.runId()), lease, condition);
    }

    public void requestStop(String runId, String by) {
        put(stopObject(runId), Map.of("runId", runId, "requestedBy", by, "requestedAtEpochMs",
                System.currentTimeMillis()), Map.of());
    }

    public boolean stopRequested(String runId) {
        try (InputStream in = client.getObject(GetObjectArgs.builder().bucket(bucket).object(stopObject(runId))
                .build())) {
            return true;
        } catch (ErrorResponseException e) {
            if ("NoSuchKey".equals(e.errorResponse().code())) {
                return false;
            }
            throw new IllegalStateException("cannot read " + stopObject(runId) + ": " + e.getMessage(), e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + stopObject(runId) + ": " + e.getMessage(), e);
        }
    }

    public void clearStopRequest(String runId) {
        try {
            client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(stopObject(runId)).build());
        } catch (Exception e) {
            throw new IllegalStateException("cannot remove " + stopObject(runId) + ": " + e.getMessage(), e);
        }
    }

    private void put(String object, Object value, Map<String, String> condition) {
        try {
            byte[] json = JSON.writeValueAsBytes(value);
            client.putObject(PutObjectArgs.builder().bucket(bucket).object(object).extraHeaders(condition)
                    .stream(new ByteArrayInputStream(json), json.length, -1).contentType("application/json").build());
        } catch (ErrorResponseException e) {
            String code = e.errorResponse().code();
            if ("PreconditionFailed".equals(code) || e.response().code() == 412 || e.response().code() == 409) {
                throw new ConflictException(object + " was written by another trainer since it was read (" + code
                        + ")");
            }
            throw new IllegalStateException("cannot write " + object + ": " + e.getMessage(), e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot write " + object + ": " + e.getMessage(), e);
        }
    }
}
