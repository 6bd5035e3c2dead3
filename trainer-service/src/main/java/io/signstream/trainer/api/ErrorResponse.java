package io.signstream.trainer.api;

/** Every 4xx answer of the service: a stable reason code and a sentence saying what to change. */
public record ErrorResponse(String reason, String detail) {
}
