package io.signstream.ingest.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Nothing outside the import root can be read, and nothing tells a caller whether a path outside exists. */
class ImportRootTest {

    @TempDir
    Path tmp;

    ImportRoot root;
    Path outside;

    @BeforeEach
    void layout() throws IOException {
        root = ImportRoot.at(tmp.resolve("root"));
        outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("train.corpus.csv"), "id|annotation\nsecret|A\n");
        Files.createDirectories(root.path().resolve("phoenix/train"));
        Files.writeString(root.path().resolve("phoenix/train.corpus.csv"), "id|annotation\n");
        Files.createSymbolicLink(root.path().resolve("linked-folder"), outside);
        Files.createSymbolicLink(root.path().resolve("phoenix/train/leak.npy"), outside.resolve("train.corpus.csv"));
        Files.writeString(root.path().resolve("a-file"), "x");
    }

    @ParameterizedTest
    @ValueSource(strings = { "../outside", "TMP/outside", "linked-folder", "phoenix/train/leak.npy", "does-not-exist",
            "a-file", "phoenix/../../outside" })
    void outsideMissingAndNotAFolderAllGetTheSameAnswer(String requested) {
        String path = requested.replace("TMP", tmp.toString());
        ImportRequestException refused = assertThrows(ImportRequestException.class, () -> root.folder(path));
        assertEquals(ImportProblem.DIRECTORY_NOT_FOUND, refused.problem());
        assertEquals("no dataset folder '" + path + "' under the import root " + root.path()
                + " (signstream.ingest.import.root; paths are resolved against it, links may not leave it)",
                refused.getMessage());
    }

    @Test
    void foldersUnderTheRootResolveToTheirRealPath() {
        assertEquals(root.path().resolve("phoenix"), root.folder("phoenix"));
        assertEquals(root.path().resolve("phoenix"), root.folder(root.path().resolve("phoenix").toString()));
        assertEquals(root.path().resolve("phoenix"), root.folder("phoenix/train/.."));
    }

    @Test
    void aLinkToAFileOutsideCountsAsNoFile() throws IOException {
        assertEquals(Optional.empty(), root.regularFile(root.path().resolve("phoenix/train/leak.npy")));
        assertEquals(Optional.empty(), root.regularFile(root.path().resolve("phoenix/train")));
        Path inside = root.path().resolve("phoenix/train.corpus.csv");
        Files.createSymbolicLink(root.path().resolve("phoenix/train/alias.npy"), inside);
        assertEquals(Optional.of(inside), root.regularFile(root.path().resolve("phoenix/train/alias.npy")),
                "a link that stays inside the root is followed to its real path");
    }
}
