package io.signstream.landmarks.pose;

import io.signstream.contract.RejectionReason;
import io.signstream.contract.SampleRejectedException;

/** A pose-format file that cannot be read or turned into Holistic landmarks, with the reason. */
public class PoseFormatException extends SampleRejectedException {

    public PoseFormatException(RejectionReason reason, String detail) {
        super(reason, detail);
    }
}
