package io.signstream.rest;

/** The reasons every service answers with the same meaning; a service adds its own for its own refusals. */
public final class ErrorReasons {

    /** 401: no bearer token, or one that is expired, not signed by the configured issuer's key, or malformed. */
    public static final String UNAUTHENTICATED = "UNAUTHENTICATED";
    /** 403: a valid token whose {@code groups} lack the role the endpoint needs. */
    public static final String FORBIDDEN = "FORBIDDEN";
    /** 400: a request whose fields are out of range or inconsistent. */
    public static final String INVALID_REQUEST = "INVALID_REQUEST";

    private ErrorReasons() {
    }

    /** A store the service needs (the S3 bucket) does not answer: 503 with Retry-After; nothing was changed. */
    public static final String OBJECT_STORE_UNAVAILABLE = "OBJECT_STORE_UNAVAILABLE";
}
