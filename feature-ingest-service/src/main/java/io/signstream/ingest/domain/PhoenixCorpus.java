package io.signstream.ingest.domain;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A dataset folder in the PHOENIX-2014 layout.
 * <ul>
 * <li>Annotations: {@code {root}/{split}.corpus.csv}, UTF-8, pipe-separated, header
 * {@code id|folder|signer|annotation} (columns are found by name, so their order does not matter;
 * {@code id} and {@code annotation} are required, {@code folder} is ignored).</li>
 * <li>Features or landmarks, one file per id, looked up in this order (first existing wins):
 * {@code {root}/{split}/{id}.npy}, {@code .npz}, {@code .pose}, then the same three under
 * {@code {root}/features/{split}/}. What a file holds is told by its content ({@link SampleFiles}).</li>
 * </ul>
 */
public final class PhoenixCorpus {

    public static final List<String> SPLITS = List.of("train", "dev", "test");
    public static final String CORPUS_SUFFIX = ".corpus.csv";
    /** The sample file kinds, in lookup order. */
    public static final List<String> EXTENSIONS = List.of(".npy", ".npz", ".pose");

    /** One annotated sample as the corpus lists it; {@code line} is 1-based, the header being line 1. */
    public record Entry(int line, String id, String signer, String annotation) {
    }

    /** A line that could not be read as an entry. */
    public record BadLine(int line, String detail) {
    }

    public record Corpus(String split, Path file, List<Entry> entries, List<BadLine> badLines) {
        public int size() {
            return entries.size() + badLines.size();
        }
    }

    private PhoenixCorpus() {
    }

    public static Path corpusFile(Path root, String split) {
        return root.resolve(split + CORPUS_SUFFIX);
    }

    /** The splits that have a corpus file ({@code isFile} says which paths count as one), in train, dev, test order. */
    public static List<String> availableSplits(Path root, Predicate<Path> isFile) {
        return SPLITS.stream().filter(split -> isFile.test(corpusFile(root, split))).toList();
    }

    /** Where the features of {@code id} may be, in lookup order. The id must already be a valid sample id. */
    public static List<Path> candidates(Path root, String split, String id) {
        List<Path> candidates = new ArrayList<>();
        for (Path folder : List.of(root.resolve(split), root.resolve("features").resolve(split))) {
            for (String extension : EXTENSIONS) {
                candidates.add(folder.resolve(id + extension));
            }
        }
        return candidates;
    }

    /** The first candidate {@code resolve} accepts, as {@code resolve} returns it (e.g. its real path). */
    public static Optional<Path> findFeatureFile(Path root, String split, String id,
            Function<Path, Optional<Path>> resolve) {
        return candidates(root, split, id).stream().map(resolve).flatMap(Optional::stream).findFirst();
    }

    /**
     * Reads a corpus file. Lines that do not fit the header become {@link BadLine}s; only a file that
     * cannot be read at all (missing columns, not UTF-8) throws.
     */
    public static Corpus read(Path root, String split) {
        Path file = corpusFile(root, split);
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new CorpusFormatException(file + " is not UTF-8 text");
        } catch (IOException e) {
            throw new CorpusFormatException("cannot read " + file + ": " + e.getMessage(), e);
        }
        int headerIndex = 0;
        while (headerIndex < lines.size() && lines.get(headerIndex).isBlank()) {
            headerIndex++;
        }
        if (headerIndex == lines.size()) {
            throw new CorpusFormatException(file + " is empty: expected the header id|folder|signer|annotation");
        }
        List<String> header = Arrays.stream(lines.get(headerIndex).replace("\uFEFF", "").split("\\|", -1))
                .map(name -> name.trim().toLowerCase(Locale.ROOT)).toList();
        int idColumn = header.indexOf("id");
        int annotationColumn = header.indexOf("annotation");
        int signerColumn = header.indexOf("signer");
        if (idColumn < 0 || annotationColumn < 0) {
            throw new CorpusFormatException(file + " has header '" + lines.get(headerIndex).trim()
                    + "': expected pipe-separated columns id|folder|signer|annotation (id and annotation are required)");
        }
        List<Entry> entries = new ArrayList<>();
        List<BadLine> badLines = new ArrayList<>();
        for (int i = headerIndex + 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            String[] fields = line.split("\\|", -1);
            if (fields.length != header.size()) {
                badLines.add(new BadLine(i + 1, split + CORPUS_SUFFIX + " line " + (i + 1) + " has " + fields.length
                        + " pipe-separated fields, the header has " + header.size()));
                continue;
            }
            entries.add(new Entry(i + 1, fields[idColumn].trim(),
                    signerColumn < 0 ? null : fields[signerColumn].trim(), fields[annotationColumn].trim()));
        }
        return new Corpus(split, file, entries, badLines);
    }
}
