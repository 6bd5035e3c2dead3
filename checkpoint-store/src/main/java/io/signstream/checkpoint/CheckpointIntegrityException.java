package io.signstream.checkpoint;

/** A checkpoint file does not match what its manifest vouches for (size or SHA-256): it must not be loaded. */
public class CheckpointIntegrityException extends CheckpointException {

    public CheckpointIntegrityException(String message) {
        super(message);
    }

    public CheckpointIntegrityException(String message, Throwable cause) {
        super(message, cause);
    }
}
