package com.gladstream.glad.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A stable SHA-256 of a set of training files: for each file in order of its relative path
 * ('/'-separated), the path, a NUL, the byte length, a NUL and the bytes. Independent of the
 * directory's location and of listing order, and changed by any rename, edit, addition or removal.
 */
public final class DataHash {

    private DataHash() {}

    /** "sha256:" followed by 64 hex digits. */
    public static String of(Path root, List<Path> files) {
        MessageDigest digest = sha256();
        List<String> relative = files.stream()
                .map(f -> root.relativize(root.resolve(f).normalize()).toString().replace('\\', '/'))
                .sorted()
                .toList();
        byte[] buffer = new byte[1 << 16];
        for (String name : relative) {
            Path file = root.resolve(name);
            try (InputStream in = Files.newInputStream(file)) {
                digest.update(name.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                digest.update(Long.toString(Files.size(file)).getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                for (int read; (read = in.read(buffer)) > 0; ) {
                    digest.update(buffer, 0, read);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot hash training file " + file, e);
            }
        }
        return "sha256:" + HexFormat.of().formatHex(digest.digest());
    }

    /** SHA-256 of a UTF-8 string as 64 hex digits: stable names for identifiers that are not safe as names. */
    public static String sha256Hex(String text) {
        return HexFormat.of().formatHex(sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    }
}
