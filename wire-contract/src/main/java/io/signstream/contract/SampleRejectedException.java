package io.signstream.contract;

/** A sample that breaks the contract, with a machine-readable reason and a sentence for people. */
public class SampleRejectedException extends RuntimeException {

    private final RejectionReason reason;

    public SampleRejectedException(RejectionReason reason, String detail) {
        super(detail);
        this.reason = reason;
    }

    public SampleRejectedException(RejectionReason reason, String detail, Throwable cause) {
        super(detail, cause);
        this.reason = reason;
    }

    public RejectionReason reason() {
        return reason;
    }

    public String detail() {
        return getMessage();
    }
}
