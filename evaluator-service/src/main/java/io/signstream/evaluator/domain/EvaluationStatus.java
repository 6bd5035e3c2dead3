package io.signstream.evaluator.domain;

public enum EvaluationStatus {
    QUEUED,
    RUNNING,
    COMPLETED,
    FAILED;

    public boolean isFinished() {
        return this == COMPLETED || this == FAILED;
    }
}
