package io.signstream.contract;

/** Kafka header names shared by producers and consumers of the feature topics. */
public final class RecordHeaders {

    /** {@link RejectionReason} name, on every record of the rejected topic. */
    public static final String REASON = "signstream-reason";
    /** Human-readable explanation of the rejection. */
    public static final String REASON_DETAIL = "signstream-reason-detail";
    /** Topic the rejected record was read from. */
    public static final String SOURCE_TOPIC = "signstream-source-topic";
    /** Service that rejected the record. */
    public static final String REJECTED_BY = "signstream-rejected-by";

    private RecordHeaders() {
    }
}
