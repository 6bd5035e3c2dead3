package io.signstream.evaluator.domain;

/**
 * A refusal with an HTTP status, a stable machine-readable reason (see {@link Reasons}) and a sentence for people.
 * Thrown by request validation and checkpoint resolution; the API turns it into {@code {"reason", "detail"}}.
 */
public class EvaluatorException extends RuntimeException {

    private final int status;
    private final String reason;

    public EvaluatorException(int status, String reason, String detail) {
        super(detail);
        this.status = status;
        this.reason = reason;
    }

    public static EvaluatorException badRequest(String reason, String detail) {
        return new EvaluatorException(400, reason, detail);
    }

    public static EvaluatorException notFound(String reason, String detail) {
        return new EvaluatorException(404, reason, detail);
    }

    public int status() {
        return status;
    }

    public String reason() {
        return reason;
    }

    public String detail() {
        return getMessage();
    }
}
