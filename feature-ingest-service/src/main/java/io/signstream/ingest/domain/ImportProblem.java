package io.signstream.ingest.domain;

/** Why an import request was refused before any sample was read. */
public enum ImportProblem {
    MISSING_DIRECTORY,
    DIRECTORY_NOT_FOUND,
    NOT_A_DIRECTORY,
    DIRECTORY_NOT_ALLOWED,
    NO_CORPUS_FILE,
    BAD_CORPUS_FILE,
    BAD_SPLIT,
    NO_SUCH_IMPORT
}
