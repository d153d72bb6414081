package com.gladstream.worker.heatmaps;

import com.gladstream.glad.image.FloatImage;
import com.gladstream.glad.model.DataHash;
import com.gladstream.glad.model.Directories;
import com.gladstream.glad.pipeline.Detection;
import com.gladstream.glad.pipeline.DetectionReport;
import com.gladstream.schemas.config.ServiceConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * A directory of heatmaps addressed by {@code file:} URIs: per result an overlay PNG for people
 * ({@code .overlay.png}), the reconstruction ({@code .reconstruction.png}) and the raw map for
 * programs ({@code .map.npy}), under {@code <root>/<category>/<event>}. Names derive from the event
 * id, so a replayed event overwrites its files instead of adding new ones; each file is written
 * atomically, and before the transaction that announces it commits. {@link #sweep} enforces the
 * retention (age, then total size, oldest first).
 */
public final class HeatmapStore {

    /** Where one result's files are. */
    public record Stored(String overlayUri, String mapUri, String reconstructionUri) {}

    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    private final Path root;
    private final Duration maxAge;
    private final long maxBytes;

    /** The store's directory, setting {@code heatmaps.dir}: the worker writes there and the operator console reads there. */
    public static Path directory(ServiceConfig config) {
        return Path.of(config.string("heatmaps.dir", "heatmaps"));
    }

    public HeatmapStore(Path root, Duration maxAge, long maxBytes) {
        this.root = root.toAbsolutePath().normalize();
        this.maxAge = maxAge;
        this.maxBytes = maxBytes;
    }

    public Stored write(String category, String eventId, FloatImage input, Detection detection) throws IOException {
        Path dir = root.resolve(safeName(category));
        String base = safeName(eventId);
        Path overlay = dir.resolve(base + ".overlay.png");
        Path map = dir.resolve(base + ".map.npy");
        Path reconstruction = dir.resolve(base + ".reconstruction.png");
        var renderer = DetectionReport.heatmapRenderer(detection.threshold());
        Directories.writeAtomically(overlay, f -> png(renderer.overlay(input, detection.map()), f));
        Directories.writeAtomically(map, f -> NpyFormat.write(detection.map(), f));
        Directories.writeAtomically(reconstruction, f -> png(detection.reconstruction().toBufferedImage(), f));
        return new Stored(overlay.toUri().toString(), map.toUri().toString(), reconstruction.toUri().toString());
    }

    /**
     * A name safe as one path segment: the identifier itself when it is plain, else its SHA-256,
     * so no event id or category can climb out of the store.
     */
    static String safeName(String identifier) {
        return SAFE_NAME.matcher(identifier).matches() && !identifier.contains("..")
                ? identifier : "h-" + DataHash.sha256Hex(identifier);
    }

    /** Deletes files older than the maximum age, then the oldest until the total fits; returns how many went. */
    public int sweep() {
        if (!Files.isDirectory(root)) {
            return 0;
        }
        record Entry(Path path, Instant modified, long size) {}
        List<Entry> entries = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                try {
                    BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
                    entries.add(new Entry(file, a.lastModifiedTime().toInstant(), a.size()));
                } catch (IOException vanished) {
                    // deleted meanwhile
                }
            }
        } catch (IOException | UncheckedIOException e) {
            return 0;
        }
        entries.sort(Comparator.comparing(Entry::modified));
        long total = entries.stream().mapToLong(Entry::size).sum();
        Instant oldest = Instant.now().minus(maxAge);
        int deleted = 0;
        for (Entry e : entries) {
            if (!e.modified().isBefore(oldest) && total <= maxBytes) {
                break;
            }
            try {
                Files.deleteIfExists(e.path());
                total -= e.size();
                deleted++;
            } catch (IOException ignored) {
                // left for the next sweep
            }
        }
        return deleted;
    }

    private static void png(java.awt.image.BufferedImage image, Path file) throws IOException {
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException("no PNG writer for " + file);
        }
    }
}
