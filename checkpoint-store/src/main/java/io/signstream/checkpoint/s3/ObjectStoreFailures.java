package io.signstream.checkpoint.s3;

import java.io.IOException;

import io.minio.errors.ErrorResponseException;
import io.minio.errors.ServerException;
import io.signstream.checkpoint.CheckpointIntegrityException;

/** Tells failures that waiting can fix (the store is away) from those it cannot (403, 404, damaged content). */
public final class ObjectStoreFailures {

    private ObjectStoreFailures() {
    }

    /**
     * Whether the failure, or one of its causes, is the store not answering: no connection, a reset or timed-out
     * one, or a 5xx answer. An integrity error or a 4xx answer anywhere in the chain makes it permanent.
     */
    public static boolean isTransient(Throwable failure) {
        boolean transientCause = false;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CheckpointIntegrityException || t.getClass().getName().startsWith("com.fasterxml.jackson")) {
                return false; // damaged or unreadable content: reading it again gives the same bytes
            }
            if (t instanceof ErrorResponseException e) {
                int code = e.response() == null ? 0 : e.response().code();
                if (code >= 500 && code != 501) {
                    transientCause = true;
                } else {
                    return false;
                }
            } else if (t instanceof ServerException s) {
                transientCause |= s.statusCode() >= 500 && s.statusCode() != 501;
            } else if (t instanceof IOException) {
                transientCause = true;
            }
        }
        return transientCause;
    }
}
