package io.signstream.rest;

/**
 * The roles a token carries in its {@code groups} claim. Each write needs its own role; every role may read,
 * so whoever starts a run or an evaluation can follow it; {@code viewer} can only read. (Annotations cannot take
 * an array constant: read endpoints list the four roles in {@code @RolesAllowed}.)
 */
public final class Roles {

    /** Ingest writes: {@code POST /samples}, {@code POST /imports}. */
    public static final String PUBLISHER = "publisher";
    /** Trainer writes: runs, stop, diagnostics. */
    public static final String TRAINER = "trainer";
    /** Evaluator writes: {@code POST /evaluations}. */
    public static final String EVALUATOR = "evaluator";
    /** Reads only. */
    public static final String VIEWER = "viewer";

    private Roles() {
    }
}
