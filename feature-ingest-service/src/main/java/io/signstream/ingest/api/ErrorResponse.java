package io.signstream.ingest.api;

/**
 * Every 4xx/5xx answer of this service: a machine-readable {@code reason} (a
 * {@link io.signstream.contract.RejectionReason} name for samples that break the contract, otherwise one
 * of this service's codes) and a sentence for people.
 */
public record ErrorResponse(String reason, String detail) {
}
