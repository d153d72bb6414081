package com.gladstream.glad.features;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Locates the shared evaluation files (models, data) that live beside the repository, not in it:
 * {@code ../shared} relative to the repository root, else {@code /work/shared}. Tests that need
 * them are skipped, with a message saying what is missing, where neither exists.
 */
final class SharedFiles {

    private SharedFiles() {}

    /** Returns the shared file at {@code relative}, or skips the calling test. */
    static Path require(String relative) {
        Path root = Stream.of(repositoryRoot().resolve("../shared"), Path.of("/work/shared"))
                .map(Path::normalize)
                .filter(Files::isDirectory)
                .findFirst()
                .orElse(null);
        assumeTrue(root != null, "shared files not found at ../shared or /work/shared; skipping");
        Path file = root.resolve(relative);
        assumeTrue(Files.exists(file), "shared file " + file + " is absent; skipping");
        return file;
    }

    /** Surefire runs in the module directory; the repository root holds the parent pom. */
    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        return Files.exists(dir.resolve("../pom.xml")) ? dir.getParent() : dir;
    }
}
