package io.signstream.ingest.domain;

/** An import request that cannot start (or an import id that does not exist), with the problem and a sentence. */
public class ImportRequestException extends RuntimeException {

    private final ImportProblem problem;

    public ImportRequestException(ImportProblem problem, String detail) {
        super(detail);
        this.problem = problem;
    }

    public ImportProblem problem() {
        return problem;
    }
}
