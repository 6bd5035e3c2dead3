package io.signstream.evaluator.api;

/** Every 4xx/5xx answer of the service: a stable reason code and a sentence saying what to change. */
public record ErrorResponse(String reason, String detail) {
}
