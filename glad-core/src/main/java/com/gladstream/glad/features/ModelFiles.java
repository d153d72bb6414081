package com.gladstream.glad.features;

import java.nio.file.Files;
import java.nio.file.Path;

/** One-line errors for feature model files that are missing or cannot be loaded. */
final class ModelFiles {

    private ModelFiles() {}

    static void requireReadable(Path file, String format) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalArgumentException(format + " feature model not found: " + file);
        }
    }

    static IllegalArgumentException unloadable(Path file, String format, Exception cause) {
        return new IllegalArgumentException(
                "cannot load " + format + " feature model " + file + ": " + firstLine(cause), cause);
    }

    static String firstLine(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.lines().findFirst().orElse(message).strip();
    }
}
