package io.signstream.ingest.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Request checks that need no broker: they answer before a job exists. */
class ImportServiceTest {

    @TempDir
    Path root;

    private ImportService service(String importRoot) {
        ImportService service = new ImportService(new SampleAssembler(600), null, null);
        service.importRoot = Optional.ofNullable(importRoot);
        return service;
    }

    @Test
    void directoriesOutsideTheImportRootAreRefused() throws Exception {
        Files.createDirectories(root.resolve("data"));
        ImportService service = service(root.resolve("data").toString());
        assertEquals(ImportProblem.DIRECTORY_NOT_ALLOWED,
                assertThrows(ImportRequestException.class, () -> service.start("../", null)).problem());
        assertEquals(ImportProblem.DIRECTORY_NOT_ALLOWED,
                assertThrows(ImportRequestException.class, () -> service.start("/etc", null)).problem());
        // Relative directories resolve against the root: data/phoenix does not exist yet.
        ImportRequestException missing = assertThrows(ImportRequestException.class,
                () -> service.start("phoenix", null));
        assertEquals(ImportProblem.DIRECTORY_NOT_FOUND, missing.problem());
        assertEquals(true, missing.getMessage().contains(root.resolve("data/phoenix").toString()));
    }

    @Test
    void aFileIsNotADirectory() throws Exception {
        Files.writeString(root.resolve("train.corpus.csv"), "id|annotation\n");
        assertEquals(ImportProblem.NOT_A_DIRECTORY, assertThrows(ImportRequestException.class,
                () -> service(null).start(root.resolve("train.corpus.csv").toString(), null)).problem());
    }
}
