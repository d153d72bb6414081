package com.gladstream.glad.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Writes a new output folder all at once: the contents go to a hidden temporary sibling, which
 * is renamed to the target only when writing succeeded. A failed or interrupted run leaves no
 * half-written target behind.
 */
public final class StagedFolder {

    /** Fills a folder with files. */
    @FunctionalInterface
    public interface Contents {
        void writeTo(Path folder) throws IOException;
    }

    private StagedFolder() {}

    /**
     * @throws DataException if the target exists already or writing fails (the message names the target)
     */
    public static void write(Path target, Contents contents) {
        Path absolute = target.toAbsolutePath().normalize();
        if (Files.exists(absolute)) {
            throw new DataException("output folder already exists: " + absolute);
        }
        moveIntoPlace(stage(absolute, contents), absolute);
    }

    /**
     * Like {@link #write}, but an existing target is replaced, and only once the new contents are
     * complete: a failed run leaves the previous target as it was.
     */
    public static void replace(Path target, Contents contents) {
        Path absolute = target.toAbsolutePath().normalize();
        Path staging = stage(absolute, contents);
        if (Files.exists(absolute)) {
            Path previous = absolute.resolveSibling("." + absolute.getFileName() + "-previous-" + System.nanoTime());
            try {
                Files.move(absolute, previous, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                deleteTree(staging);
                throw new DataException("cannot replace " + absolute + ": " + e.getMessage(), e);
            }
            moveIntoPlace(staging, absolute);
            deleteTree(previous);
        } else {
            moveIntoPlace(staging, absolute);
        }
    }

    /** Writes the contents into a hidden sibling of {@code absolute} and returns it. */
    private static Path stage(Path absolute, Contents contents) {
        Path staging;
        try {
            Files.createDirectories(absolute.getParent());
            staging = Files.createTempDirectory(absolute.getParent(), "." + absolute.getFileName() + "-");
        } catch (IOException e) {
            throw new DataException("cannot create output folder " + absolute + ": " + e.getMessage(), e);
        }
        try {
            contents.writeTo(staging);
            return staging;
        } catch (IOException | RuntimeException e) {
            deleteTree(staging);
            if (e instanceof DataException de) {
                throw de;
            }
            throw new DataException("cannot write " + absolute + ": " + e.getMessage(), e);
        }
    }

    private static void moveIntoPlace(Path staging, Path absolute) {
        try {
            Files.move(staging, absolute, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            deleteTree(staging);
            throw new DataException("cannot write " + absolute + ": " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // Best effort; the original failure is what the caller reports.
        }
    }
}
