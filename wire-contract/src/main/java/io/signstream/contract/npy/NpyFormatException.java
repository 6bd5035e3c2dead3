package io.signstream.contract.npy;

import io.signstream.contract.RejectionReason;
import io.signstream.contract.SampleRejectedException;

/** A file that is not the 2-D little-endian float32 C-order array the contract accepts. */
public class NpyFormatException extends SampleRejectedException {

    public NpyFormatException(String detail) {
        super(RejectionReason.UNSUPPORTED_FORMAT, detail);
    }
}
