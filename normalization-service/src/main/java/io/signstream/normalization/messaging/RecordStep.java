package io.signstream.normalization.messaging;

import io.signstream.contract.RejectionReason;

/**
 * What the processor does with one consumed record: publish a new value, or reject the record with a reason.
 * The processor owns acknowledgement and routing; a step owns only the transformation, so the same pipeline
 * runs the normalization and (in the benchmark) a pass-through.
 */
@FunctionalInterface
public interface RecordStep {

    /** Must not throw for bad input: a broken record is a {@link Outcome#reject}. */
    Outcome apply(String key, byte[] value);

    /** Either {@code value} to publish under {@code key}, or a {@code reason} and {@code detail} to reject with. */
    record Outcome(String key, byte[] value, RejectionReason reason, String detail) {

        public static Outcome publish(String key, byte[] value) {
            return new Outcome(key, value, null, null);
        }

        public static Outcome reject(RejectionReason reason, String detail) {
            return new Outcome(null, null, reason, detail);
        }

        public boolean published() {
            return reason == null;
        }
    }
}
