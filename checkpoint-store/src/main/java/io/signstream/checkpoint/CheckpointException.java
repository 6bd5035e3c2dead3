package io.signstream.checkpoint;

/** A checkpoint cannot be written or read: the message says which object and why. */
public class CheckpointException extends RuntimeException {

    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
