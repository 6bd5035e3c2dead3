package io.signstream.ingest.domain;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The one folder imports may read from. Requested folders and every file read below them are resolved to their
 * real paths (symbolic links followed, {@code ..} removed) and must still lie under the root's real path, so
 * neither {@code ../..}, an absolute path, nor a link inside the root leads out of it. Everything outside, missing
 * or not a folder gets the same answer, so a caller cannot probe which paths exist on the pod.
 */
public final class ImportRoot {

    private final Path root;

    /** The root, created when missing (so an operator sees where datasets go). */
    public static ImportRoot at(Path configured) {
        try {
            Files.createDirectories(configured);
            return new ImportRoot(configured.toRealPath());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use the import root " + configured, e);
        }
    }

    private ImportRoot(Path root) {
        this.root = root;
    }

    public Path path() {
        return root;
    }

    /** The real path of the dataset folder {@code requested} (relative to the root, or absolute) under the root. */
    public Path folder(String requested) {
        Path candidate = root.resolve(requested.trim()).normalize();
        Optional<Path> real = realPathUnderRoot(candidate).filter(path -> Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS));
        return real.orElseThrow(() -> new ImportRequestException(ImportProblem.DIRECTORY_NOT_FOUND,
                "no dataset folder '" + requested.trim() + "' under the import root " + root
                        + " (signstream.ingest.import.root; paths are resolved against it, links may not leave it)"));
    }

    /** The real path of a regular file under the root, or empty (missing, a folder, or a link leading out). */
    public Optional<Path> regularFile(Path candidate) {
        return realPathUnderRoot(candidate).filter(path -> Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS));
    }

    /**
     * Reads a file {@link #regularFile} returned, refusing to follow a link put in its place since, and reading at
     * most {@code limit + 1} bytes whatever its size (it may have grown since it was measured).
     *
     * @return the bytes; more than {@code limit} of them means the file is larger than {@code limit}
     */
    public static byte[] read(Path realFile, long limit) throws IOException {
        try (InputStream in = Files.newInputStream(realFile, LinkOption.NOFOLLOW_LINKS)) {
            return in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
        }
    }

    private Optional<Path> realPathUnderRoot(Path candidate) {
        if (!candidate.normalize().startsWith(root)) {
            return Optional.empty();
        }
        try {
            Path real = candidate.toRealPath();
            return real.startsWith(root) ? Optional.of(real) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
