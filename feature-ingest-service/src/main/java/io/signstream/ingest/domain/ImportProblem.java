package io.signstream.ingest.domain;

/** Why an import request was refused before any sample was read. */
public enum ImportProblem {
    /** Missing, not a folder, or outside the import root: one answer for all, so paths cannot be probed. */
    MISSING_DIRECTORY,
    DIRECTORY_NOT_FOUND,
    NO_CORPUS_FILE,
    BAD_CORPUS_FILE,
    BAD_SPLIT,
    NO_SUCH_IMPORT
}
