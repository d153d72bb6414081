package com.gladstream.glad.model;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** File-system steps of the write-to-temporary-then-rename pattern used for models and checkpoints. */
public final class Directories {

    private Directories() {}

    /** Renames atomically where the file system can (always within one directory on POSIX). */
    public static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    /** Writes one file's contents given a path to write them to. */
    @FunctionalInterface
    public interface FileContents {
        void writeTo(Path file) throws IOException;
    }

    /**
     * Writes {@code target} through a hidden temporary sibling renamed into place, so a reader sees
     * the previous file or the complete new one, never a partial write; replaces an existing file.
     */
    public static void writeAtomically(Path target, FileContents contents) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temp = Files.createTempFile(parent, "." + target.getFileName() + ".", ".tmp");
        try {
            contents.writeTo(temp);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Deletes a file or a directory tree; a path that does not exist is fine. */
    public static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(path)) {
            paths = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path p : paths) {
            try {
                Files.delete(p);
            } catch (NoSuchFileException alreadyGone) {
                // removed concurrently: the goal is reached
            }
        }
    }
}
