package io.signstream.featurestream;

/** A pass cannot be carried out (topic missing, broker silent past the stall limit): nothing about one record. */
public class FeatureStreamException extends RuntimeException {

    public FeatureStreamException(String message) {
        super(message);
    }

    public FeatureStreamException(String message, Throwable cause) {
        super(message, cause);
    }
}
