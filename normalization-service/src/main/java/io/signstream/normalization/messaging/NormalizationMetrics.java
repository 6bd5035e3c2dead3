package io.signstream.normalization.messaging;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.signstream.contract.RejectionReason;

/**
 * Micrometer meters of the processor. Records out and rejected count acknowledged outputs; records in counts every
 * record processed, so a record delivered again after a restart is counted in again.
 */
public final class NormalizationMetrics {

    public static final String PREFIX = "signstream.normalization.";

    private final Counter recordsIn;
    private final Counter recordsOut;
    private final Map<RejectionReason, Counter> rejected = new EnumMap<>(RejectionReason.class);
    private final Counter bytesIn;
    private final Counter bytesOut;
    private final Counter failedSends;
    private final Timer recordLatency;
    private final Timer recordLag;

    public NormalizationMetrics(MeterRegistry registry) {
        recordsIn = Counter.builder(PREFIX + "records.in")
                .description("Records read from the source topic and processed").register(registry);
        recordsOut = Counter.builder(PREFIX + "records.out")
                .description("Normalized records acknowledged on the output topic").register(registry);
        // Every reason is registered up front, so dashboards see zeros rather than missing series.
        for (RejectionReason reason : RejectionReason.values()) {
            rejected.put(reason, Counter.builder(PREFIX + "records.rejected").tag("reason", reason.name())
                    .description("Records acknowledged on the rejected topic").register(registry));
        }
        bytesIn = Counter.builder(PREFIX + "bytes.in")
                .description("Value bytes of the records processed").register(registry);
        bytesOut = Counter.builder(PREFIX + "bytes.out")
                .description("Value bytes acknowledged on the output and rejected topics").register(registry);
        failedSends = Counter.builder(PREFIX + "sends.failed")
                .description("Outputs the broker never acknowledged (the connector gave up retrying)").register(registry);
        recordLatency = Timer.builder(PREFIX + "record.latency")
                .description("Time to decode, check, normalize and encode one record").register(registry);
        recordLag = Timer.builder(PREFIX + "record.lag")
                .description("Time from a source record's timestamp to its output being acknowledged")
                .register(registry);
    }

    void processed(int valueBytes, long nanos) {
        recordsIn.increment();
        bytesIn.increment(valueBytes);
        recordLatency.record(nanos, TimeUnit.NANOSECONDS);
    }

    void delivered(RecordStep.Outcome outcome, int valueBytes, long sourceTimestampMs, long nowMs) {
        if (outcome.published()) {
            recordsOut.increment();
        } else {
            rejected.get(outcome.reason()).increment();
        }
        bytesOut.increment(valueBytes);
        if (sourceTimestampMs >= 0 && nowMs >= sourceTimestampMs) {
            recordLag.record(nowMs - sourceTimestampMs, TimeUnit.MILLISECONDS);
        }
    }

    void sendFailed() {
        failedSends.increment();
    }

    public long recordsIn() {
        return (long) recordsIn.count();
    }

    public long recordsOut() {
        return (long) recordsOut.count();
    }

    public long recordsRejected() {
        return rejected.values().stream().mapToLong(c -> (long) c.count()).sum();
    }

    /** Rejections so far, by reason; reasons never seen are left out. */
    public Map<String, Long> rejectedByReason() {
        Map<String, Long> counts = new java.util.TreeMap<>();
        rejected.forEach((reason, counter) -> {
            if (counter.count() > 0) {
                counts.put(reason.name(), (long) counter.count());
            }
        });
        return counts;
    }

    public long bytesIn() {
        return (long) bytesIn.count();
    }

    public long bytesOut() {
        return (long) bytesOut.count();
    }

    public long failedSends() {
        return (long) failedSends.count();
    }
}
