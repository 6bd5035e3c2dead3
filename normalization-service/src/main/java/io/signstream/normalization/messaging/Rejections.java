package io.signstream.normalization.messaging;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import io.signstream.contract.RejectionReason;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;

/**
 * The record that goes to the rejected topic for a refused input: the original key, value and headers plus the
 * reason headers. When the original value and those headers together would exceed the largest record the
 * producer may send, the value is left out (empty) and {@code signstream-original-bytes} and
 * {@code signstream-original-location} say so: a rejection that could never be sent must not stop the partition.
 */
public final class Rejections {

    private static final int MAX_DETAIL_CHARS = 2000;
    /** Room for the record and batch framing around key, value and headers (the real framing is ~100 bytes). */
    private static final int FRAMING_BYTES = 4096;

    private final String rejectedBy;
    private final int maxRecordBytes;

    /** @param maxRecordBytes the producer's {@code max.request.size} (and the topics' {@code max.message.bytes}) */
    public Rejections(String rejectedBy, int maxRecordBytes) {
        this.rejectedBy = rejectedBy;
        this.maxRecordBytes = maxRecordBytes;
    }

    public record Rejection(byte[] value, Headers headers) {
    }

    public Rejection of(IncomingKafkaRecordMetadata<String, byte[]> source, byte[] value, RejectionReason reason,
            String detail) {
        Headers headers = copy(source.getHeaders());
        put(headers, io.signstream.contract.RecordHeaders.REASON, reason.name());
        put(headers, io.signstream.contract.RecordHeaders.REASON_DETAIL, abbreviate(detail));
        put(headers, io.signstream.contract.RecordHeaders.SOURCE_TOPIC, source.getTopic());
        put(headers, io.signstream.contract.RecordHeaders.REJECTED_BY, rejectedBy);
        byte[] original = value == null ? new byte[0] : value;
        if (size(source.getKey(), original, headers) <= maxRecordBytes) {
            return new Rejection(original, headers);
        }
        put(headers, io.signstream.contract.RecordHeaders.ORIGINAL_BYTES, Integer.toString(original.length));
        put(headers, io.signstream.contract.RecordHeaders.ORIGINAL_LOCATION,
                source.getTopic() + "/" + source.getPartition() + "/" + source.getOffset());
        return new Rejection(new byte[0], headers);
    }

    /** The reason headers alone, for the dead-letter queue (which adds them to the original record). */
    public Headers reasonHeaders(String sourceTopic, RejectionReason reason, String detail) {
        Headers headers = new RecordHeaders();
        put(headers, io.signstream.contract.RecordHeaders.REASON, reason.name());
        put(headers, io.signstream.contract.RecordHeaders.REASON_DETAIL, abbreviate(detail));
        put(headers, io.signstream.contract.RecordHeaders.SOURCE_TOPIC, sourceTopic);
        put(headers, io.signstream.contract.RecordHeaders.REJECTED_BY, rejectedBy);
        return headers;
    }

    static long size(String key, byte[] value, Headers headers) {
        long bytes = FRAMING_BYTES + value.length + (key == null ? 0 : key.getBytes(StandardCharsets.UTF_8).length);
        for (Header header : headers) {
            bytes += header.key().length() * 3L + (header.value() == null ? 0 : header.value().length);
        }
        return bytes;
    }

    private static Headers copy(Iterable<Header> headers) {
        Headers copy = new RecordHeaders();
        headers.forEach(copy::add);
        return copy;
    }

    private static void put(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String abbreviate(String detail) {
        String text = detail == null ? "" : detail;
        return text.length() <= MAX_DETAIL_CHARS ? text : text.substring(0, MAX_DETAIL_CHARS) + "...";
    }
}
