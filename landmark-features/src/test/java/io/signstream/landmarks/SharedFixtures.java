package io.signstream.landmarks;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real recordings in the checkout's sibling folder {@code shared/} (read in place, never copied into the
 * repository). Its location: system property {@code signstream.shared.dir} (Maven sets it to
 * {@code ../shared} beside the checkout), else environment variable {@code SIGNSTREAM_SHARED_DIR}, else
 * {@code ../shared} from the working directory's parent.
 *
 * <p>A missing folder fails the test with a message that says where it looked, because a test that silently
 * skips proves nothing. Where the folder is known to be absent (a bare CI checkout), set
 * {@code -Dsignstream.fixtures.optional=true} (or {@code SIGNSTREAM_FIXTURES_OPTIONAL=true}): those tests are then
 * reported as skipped, with the same message.
 */
public final class SharedFixtures {

    /** MediaPipe Holistic, 97 frames, 320 x 240, five components (see shared/fixtures/pose/README.md). */
    public static final String EXAMPLE_POSE = "fixtures/pose/example.pose";

    private SharedFixtures() {
    }

    public static Path sharedDir() {
        String property = System.getProperty("signstream.shared.dir");
        if (property != null && !property.isBlank()) {
            return Path.of(property).toAbsolutePath().normalize();
        }
        String env = System.getenv("SIGNSTREAM_SHARED_DIR");
        if (env != null && !env.isBlank()) {
            return Path.of(env).toAbsolutePath().normalize();
        }
        return Path.of("").toAbsolutePath().getParent().resolve("../shared").normalize();
    }

    /** The fixture's path; fails (or, when fixtures are optional, skips) with the reason when it is absent. */
    public static Path require(String relative) {
        Path file = sharedDir().resolve(relative);
        if (Files.isRegularFile(file)) {
            return file;
        }
        String message = "shared fixture " + file + " is absent: this test reads the real recording from the "
                + "checkout's sibling folder shared/ (set -Dsignstream.shared.dir=/path/to/shared, or "
                + "-Dsignstream.fixtures.optional=true to skip the tests that need it)";
        if (optional()) {
            assumeTrue(false, message);
        }
        throw new AssertionError(message);
    }

    public static byte[] read(String relative) {
        try {
            return Files.readAllBytes(require(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean optional() {
        return Boolean.parseBoolean(System.getProperty("signstream.fixtures.optional"))
                || Boolean.parseBoolean(System.getenv("SIGNSTREAM_FIXTURES_OPTIONAL"));
    }
}
