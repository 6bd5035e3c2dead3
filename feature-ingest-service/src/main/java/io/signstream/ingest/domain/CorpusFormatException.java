package io.signstream.ingest.domain;

/** A corpus file that cannot be read as a whole (missing header columns, not UTF-8, unreadable). */
public class CorpusFormatException extends RuntimeException {

    public CorpusFormatException(String detail) {
        super(detail);
    }

    public CorpusFormatException(String detail, Throwable cause) {
        super(detail, cause);
    }
}
