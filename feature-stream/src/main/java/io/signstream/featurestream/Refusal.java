package io.signstream.featurestream;

import io.signstream.contract.RejectionReason;

/**
 * Why a record of the requested split was not handed out. The contract's {@link RejectionReason} names
 * (UNDECODABLE, NOT_NORMALIZED, every validation reason) plus {@link #NORMALIZATION_MISMATCH}.
 */
public final class Refusal {

    /** Stamped NORMALIZED, but with other arithmetic (method, version or parameters) than the reader expects. */
    public static final String NORMALIZATION_MISMATCH = "NORMALIZATION_MISMATCH";

    private Refusal() {
    }

    public static String of(RejectionReason reason) {
        return reason.name();
    }
}
