package io.signstream.evaluator.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.Result;
import io.minio.errors.ErrorResponseException;
import io.minio.messages.Item;
import io.signstream.evaluator.domain.Evaluation;

/**
 * Evaluations kept in the object store, one JSON object each under {@code evaluations/{id}.json}: the bucket is the
 * service's only durable state, so a restarted (or second) instance reads everything back with {@link #loadAll()}.
 */
public final class EvaluationStore {

    private static final Logger LOG = Logger.getLogger(EvaluationStore.class);
    public static final String PREFIX = "evaluations/";
    public static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final MinioClient client;
    private final String bucket;

    public EvaluationStore(MinioClient client, String bucket) {
        this.client = client;
        this.bucket = bucket;
    }

    public String bucket() {
        return bucket;
    }

    public static String objectName(String id) {
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("not an evaluation id: '" + id + "'");
        }
        return PREFIX + id + ".json";
    }

    /** Writes (or overwrites) the evaluation's object; a single PUT, so readers see the old or the new JSON whole. */
    public void save(Evaluation evaluation) {
        String object = objectName(evaluation.id());
        try {
            byte[] json = JSON.writeValueAsBytes(evaluation);
            try (InputStream in = new ByteArrayInputStream(json)) {
                client.putObject(PutObjectArgs.builder().bucket(bucket).object(object)
                        .stream(in, json.length, -1).contentType("application/json").build());
            }
        } catch (Exception e) {
            throw new StorageException("cannot write s3://" + bucket + "/" + object + ": " + e.getMessage(), e);
        }
    }

    public Optional<Evaluation> find(String id) {
        if (!ID.matcher(id).matches()) {
            return Optional.empty();
        }
        return read(objectName(id));
    }

    /** Every stored evaluation, oldest first; an unreadable object is logged and skipped, never fatal. */
    public List<Evaluation> loadAll() {
        List<Evaluation> all = new ArrayList<>();
        try {
            for (Result<Item> result : client.listObjects(
                    ListObjectsArgs.builder().bucket(bucket).prefix(PREFIX).recursive(true).build())) {
                Item item = result.get();
                if (item.isDir() || !item.objectName().endsWith(".json")) {
                    continue;
                }
                try {
                    read(item.objectName()).ifPresent(all::add);
                } catch (StorageException e) {
                    LOG.warnf("skipping stored evaluation %s: %s", item.objectName(), e.getMessage());
                }
            }
        } catch (Exception e) {
            throw new StorageException("cannot list s3://" + bucket + "/" + PREFIX + ": " + e.getMessage(), e);
        }
        all.sort(Comparator.comparing(Evaluation::createdAt, Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(Evaluation::id));
        return all;
    }

    /** The stored evaluations of one run, oldest first. */
    public List<Evaluation> listByRun(String runId) {
        return loadAll().stream().filter(e -> e.checkpoint() != null && runId.equals(e.checkpoint().run())).toList();
    }

    private Optional<Evaluation> read(String object) {
        try (InputStream in = client.getObject(GetObjectArgs.builder().bucket(bucket).object(object).build())) {
            Evaluation evaluation = JSON.readValue(in, Evaluation.class);
            if (evaluation == null || evaluation.id() == null || evaluation.status() == null
                    || evaluation.checkpoint() == null || evaluation.split() == null || evaluation.createdAt() == null) {
                throw new StorageException("s3://" + bucket + "/" + object
                        + " lacks id, status, checkpoint, split or createdAt: not an evaluation", null);
            }
            return Optional.of(evaluation);
        } catch (StorageException e) {
            throw e;
        } catch (ErrorResponseException e) {
            if ("NoSuchKey".equals(e.errorResponse().code())) {
                return Optional.empty();
            }
            throw new StorageException("cannot read s3://" + bucket + "/" + object + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new StorageException("s3://" + bucket + "/" + object + " is not an evaluation: " + e.getMessage(), e);
        } catch (Exception e) {
            throw new StorageException("cannot read s3://" + bucket + "/" + object + ": " + e.getMessage(), e);
        }
    }

    public static class StorageException extends RuntimeException {
        public StorageException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
