package io.signstream.ingest.domain;

/** An upload refused because the uploads in flight already hold the service's byte budget: retry after a while. */
public class UploadsBusyException extends RuntimeException {

    private final int retryAfterSeconds;

    public UploadsBusyException(String detail, int retryAfterSeconds) {
        super(detail);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
