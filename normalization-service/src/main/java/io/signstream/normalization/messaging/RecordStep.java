package io.signstream.normalization.messaging;

import io.signstream.contract.RejectionReason;
import io.signstream.contract.proto.Split;

/**
 * What the processor does with one consumed record: publish a new value, or reject the record with a reason.
 * The processor owns acknowledgement and routing; a step owns only the transformation, so the same pipeline
 * runs the normalization and (in the benchmark) a pass-through.
 */
@FunctionalInterface
public interface RecordStep {

    /** Must not throw for bad input: a broken record is a {@link Outcome#reject}. */
    Outcome apply(String key, byte[] value);

    /**
     * Either {@code value} to publish under {@code key} on the normalized topic of {@code split}, or a
     * {@code reason} and {@code detail} to reject with. A null split (the benchmark's pass-through, which decodes
     * nothing) goes to the outgoing channel's own topic.
     */
    record Outcome(String key, byte[] value, Split split, RejectionReason reason, String detail) {

        public static Outcome publish(String key, byte[] value, Split split) {
            return new Outcome(key, value, split, null, null);
        }

        /** Benchmark only: a value whose split is not known, for the channel's own topic. */
        public static Outcome forward(String key, byte[] value) {
            return new Outcome(key, value, null, null, null);
        }

        public static Outcome reject(RejectionReason reason, String detail) {
            return new Outcome(null, null, null, reason, detail);
        }

        public boolean published() {
            return reason == null;
        }
    }
}
