package io.signstream.ingest.messaging;

/** The broker did not acknowledge a record: the sample is not known to be published. */
public class PublishFailedException extends RuntimeException {

    public PublishFailedException(String detail, Throwable cause) {
        super(detail, cause);
    }
}
