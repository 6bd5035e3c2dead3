package io.signstream.ingest.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PhoenixCorpusTest {

    @TempDir
    Path root;

    @Test
    void readsPhoenixLinesByHeaderName() throws IOException {
        // Two lines as they appear in PHOENIX-2014's train.corpus.csv.
        Files.writeString(root.resolve("train.corpus.csv"), """
                id|folder|signer|annotation
                01April_2010_Thursday_heute_default-0|01April_2010_Thursday_heute_default-0/1/*.png|Signer04|__ON__ LIEB ZUSCHAUER ABEND WINTER GESTERN loc-NORD SCHOTTLAND loc-REGION UEBERSCHWEMMUNG AMERIKA IX

                01April_2010_Thursday_heute_default-1|01April_2010_Thursday_heute_default-1/1/*.png|Signer04|ICH |
                """);
        PhoenixCorpus.Corpus corpus = PhoenixCorpus.read(root, "train");
        assertEquals(1, corpus.entries().size());
        PhoenixCorpus.Entry first = corpus.entries().get(0);
        assertEquals(2, first.line());
        assertEquals("01April_2010_Thursday_heute_default-0", first.id());
        assertEquals("Signer04", first.signer());
        assertTrue(first.annotation().startsWith("__ON__ LIEB") && first.annotation().endsWith("AMERIKA IX"));
        assertEquals(1, corpus.badLines().size());
        assertEquals(4, corpus.badLines().get(0).line());
        assertTrue(corpus.badLines().get(0).detail().contains("has 5 pipe-separated fields, the header has 4"));
        assertEquals(2, corpus.size());
    }

    @Test
    void columnOrderFollowsTheHeaderAndAByteOrderMarkIsIgnored() throws IOException {
        Files.writeString(root.resolve("dev.corpus.csv"), "\uFEFFannotation|id\nA B|s-1\n", StandardCharsets.UTF_8);
        PhoenixCorpus.Entry entry = PhoenixCorpus.read(root, "dev").entries().get(0);
        assertEquals("s-1", entry.id());
        assertEquals("A B", entry.annotation());
        assertEquals(null, entry.signer());
    }

    @Test
    void missingColumnsOrEmptyFileRefuseTheWholeCorpus() throws IOException {
        Files.writeString(root.resolve("train.corpus.csv"), "id,folder,signer,annotation\n");
        CorpusFormatException wrongSeparator = assertThrows(CorpusFormatException.class,
                () -> PhoenixCorpus.read(root, "train"));
        assertTrue(wrongSeparator.getMessage().contains("pipe-separated"));
        Files.writeString(root.resolve("test.corpus.csv"), "\n\n");
        assertThrows(CorpusFormatException.class, () -> PhoenixCorpus.read(root, "test"));
    }

    @Test
    void notUtf8IsRefused() throws IOException {
        Files.write(root.resolve("train.corpus.csv"), new byte[] {'i', 'd', '|', 'a', 'n', 'n', 'o', 't', 'a', 't',
                'i', 'o', 'n', '\n', 'x', '|', (byte) 0xC3, (byte) 0x28, '\n'});
        assertTrue(assertThrows(CorpusFormatException.class, () -> PhoenixCorpus.read(root, "train"))
                .getMessage().contains("not UTF-8"));
    }

    @Test
    void featureLookupOrderIsSplitFolderThenFeaturesFolderNpyBeforeNpzBeforePose() throws IOException {
        assertEquals(List.of(root.resolve("dev/a.npy"), root.resolve("dev/a.npz"), root.resolve("dev/a.pose"),
                root.resolve("features/dev/a.npy"), root.resolve("features/dev/a.npz"),
                root.resolve("features/dev/a.pose")),
                PhoenixCorpus.candidates(root, "dev", "a"));
        assertEquals(Optional.empty(), PhoenixCorpus.findFeatureFile(root, "dev", "a", PhoenixCorpusTest::ifRegularFile));
        Files.createDirectories(root.resolve("features/dev"));
        Files.write(root.resolve("features/dev/a.npz"), new byte[1]);
        assertEquals(Optional.of(root.resolve("features/dev/a.npz")), PhoenixCorpus.findFeatureFile(root, "dev", "a", PhoenixCorpusTest::ifRegularFile));
        Files.write(root.resolve("features/dev/a.npy"), new byte[1]);
        assertEquals(Optional.of(root.resolve("features/dev/a.npy")), PhoenixCorpus.findFeatureFile(root, "dev", "a", PhoenixCorpusTest::ifRegularFile));
        Files.createDirectories(root.resolve("dev"));
        Files.write(root.resolve("dev/a.pose"), new byte[1]);
        assertEquals(Optional.of(root.resolve("dev/a.pose")), PhoenixCorpus.findFeatureFile(root, "dev", "a", PhoenixCorpusTest::ifRegularFile));
        Files.write(root.resolve("dev/a.npz"), new byte[1]);
        assertEquals(Optional.of(root.resolve("dev/a.npz")), PhoenixCorpus.findFeatureFile(root, "dev", "a", PhoenixCorpusTest::ifRegularFile));
    }

    @Test
    void availableSplitsAreThoseWithACorpusFile() throws IOException {
        assertEquals(List.of(), PhoenixCorpus.availableSplits(root, Files::isRegularFile));
        Files.writeString(root.resolve("test.corpus.csv"), "id|annotation\n");
        Files.writeString(root.resolve("train.corpus.csv"), "id|annotation\n");
        assertEquals(List.of("train", "test"), PhoenixCorpus.availableSplits(root, Files::isRegularFile));
    }

    private static Optional<Path> ifRegularFile(Path path) {
        return Files.isRegularFile(path) ? Optional.of(path) : Optional.empty();
    }
}
