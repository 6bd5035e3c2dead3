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
    /**
     * On a rejected record whose original value could not be carried (it would not fit in a record together with
     * the reason headers): the original value's size in bytes. The value is then empty; the original stays on the
     * source topic at {@link #ORIGINAL_LOCATION}.
     */
    public static final String ORIGINAL_BYTES = "signstream-original-bytes";
    /** Where the original record is: {@code topic/partition/offset}. */
    public static final String ORIGINAL_LOCATION = "signstream-original-location";

    private RecordHeaders() {
    }
}
