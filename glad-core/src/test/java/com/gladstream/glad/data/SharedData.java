package com.gladstream.glad.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * Locates the real evaluation data (shared/data, next to the repository) for tests that use it,
 * and skips those tests with a clear message where it is absent. The system property
 * {@code glad.shared.data} points elsewhere.
 */
public final class SharedData {

    private SharedData() {}

    /** The data folder, found as shared/data beside the repository or any folder above it. */
    public static Optional<Path> find() {
        String configured = System.getProperty("glad.shared.data");
        if (configured != null) {
            return Optional.of(Path.of(configured)).filter(Files::isDirectory);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("data");
            if (Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** A folder of the shared data; the calling test is skipped when it is not there. */
    public static Path require(String name) {
        Optional<Path> data = find();
        Assumptions.assumeTrue(data.isPresent(),
                "real evaluation data not found (shared/data beside the repository, or -Dglad.shared.data); skipping");
        Path folder = data.get().resolve(name);
        Assumptions.assumeTrue(Files.isDirectory(folder), "shared data has no " + name + "; skipping");
        return folder;
    }
}
