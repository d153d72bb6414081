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
        Path staging;
        try {
            Files.createDirectories(absolute.getParent());
            staging = Files.createTempDirectory(absolute.getParent(), "." + absolute.getFileName() + "-");
        } catch (IOException e) {
            throw new DataException("cannot create output folder " + absolute + ": " + e.getMessage(), e);
        }
        try {
            contents.writeTo(staging);
            Files.move(staging, absolute, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            deleteTree(staging);
            if (e instanceof DataException de) {
                throw de;
            }
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
