package io.signstream.trainer.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.Result;
import io.minio.errors.ErrorResponseException;
import io.minio.messages.Item;
import io.signstream.checkpoint.CheckpointRef;
import io.signstream.trainer.domain.RunState;

/** Keeps each run's {@link RunState} as {@code runs/{runId}/run.json} next to its checkpoints. */
public final class RunRepository {

    public static final String RUN_FILE = "run.json";

    static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private final MinioClient client;
    private final String bucket;

    public RunRepository(MinioClient client, String bucket) {
        this.client = client;
        this.bucket = bucket;
    }

    public static String object(String runId) {
        return CheckpointRef.runPrefix(runId) + RUN_FILE;
    }

    public void save(RunState state) {
        try {
            byte[] json = JSON.writeValueAsBytes(state);
            client.putObject(PutObjectArgs.builder().bucket(bucket).object(object(state.runId()))
                    .stream(new ByteArrayInputStream(json), json.length, -1).contentType("application/json").build());
        } catch (Exception e) {
            throw new IllegalStateException("cannot write " + object(state.runId()) + ": " + e.getMessage(), e);
        }
    }

    public Optional<RunState> find(String runId) {
        try (InputStream in = client.getObject(GetObjectArgs.builder().bucket(bucket).object(object(runId)).build())) {
            return Optional.of(JSON.readValue(in.readAllBytes(), RunState.class));
        } catch (ErrorResponseException e) {
            if ("NoSuchKey".equals(e.errorResponse().code())) {
                return Optional.empty();
            }
            throw new IllegalStateException("cannot read " + object(runId) + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IllegalStateException("unreadable " + object(runId) + ": " + e.getMessage(), e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + object(runId) + ": " + e.getMessage(), e);
        }
    }

    /** Every run with a run.json, newest first. */
    public List<RunState> list() {
        List<RunState> runs = new ArrayList<>();
        try {
            for (Result<Item> result : client.listObjects(
                    ListObjectsArgs.builder().bucket(bucket).prefix("runs/").recursive(false).build())) {
                Item item = result.get();
                String name = item.objectName();
                if (!item.isDir() || !name.endsWith("/")) {
                    continue;
                }
                String runId = name.substring("runs/".length(), name.length() - 1);
                if (CheckpointRef.RUN_ID.matcher(runId).matches()) {
                    find(runId).ifPresent(runs::add);
                }
            }
        } catch (IllegalStateException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("cannot list runs in bucket " + bucket + ": " + e.getMessage(), e);
        }
        runs.sort(Comparator.comparingLong(RunState::createdAtEpochMs).reversed());
        return runs;
    }
}
