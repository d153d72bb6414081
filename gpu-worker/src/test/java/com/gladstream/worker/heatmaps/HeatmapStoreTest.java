package com.gladstream.worker.heatmaps;

import static org.assertj.core.api.Assertions.assertThat;

import com.gladstream.glad.image.FloatImage;
import com.gladstream.glad.pipeline.Detection;
import com.gladstream.glad.scoring.AnomalyMap;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeatmapStoreTest {

    @TempDir
    Path root;

    private static Detection detection(float peak) {
        float[] values = new float[12 * 16];
        values[5 * 16 + 7] = peak;
        return new Detection(peak, peak > 0.5, 0.5, new AnomalyMap(12, 16, values), FloatImage.zeros(3, 8, 8), null, 4, 2, 0.1);
    }

    @Test
    void filesAreNamedByEventSoAReplayOverwritesAndTheRawMapReadsBackExactly() throws Exception {
        HeatmapStore store = new HeatmapStore(root, Duration.ofDays(1), Long.MAX_VALUE);
        FloatImage input = FloatImage.zeros(3, 12, 16);
        HeatmapStore.Stored first = store.write("screws", "ev-1", input, detection(0.9f));
        HeatmapStore.Stored replay = store.write("screws", "ev-1", input, detection(0.7f));

        assertThat(replay).isEqualTo(first);
        try (Stream<Path> files = Files.list(root.resolve("screws"))) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("ev-1.overlay.png", "ev-1.map.npy", "ev-1.reconstruction.png");
        }
        AnomalyMap map = NpyFormat.read(Path.of(URI.create(replay.mapUri())));
        assertThat(map.height()).isEqualTo(12);
        assertThat(map.width()).isEqualTo(16);
        assertThat(map.get(5, 7)).isEqualTo(0.7f);
    }

    @Test
    void identifiersThatAreNotPlainNamesCannotClimbOutOfTheStore() throws Exception {
        HeatmapStore store = new HeatmapStore(root, Duration.ofDays(1), Long.MAX_VALUE);
        HeatmapStore.Stored stored = store.write("../../etc", "../x/y", FloatImage.zeros(3, 12, 16), detection(0.9f));
        Path overlay = Path.of(URI.create(stored.overlayUri()));
        assertThat(overlay.normalize()).startsWith(root.toAbsolutePath().normalize());
        assertThat(overlay.getFileName().toString()).startsWith("h-");
    }

    @Test
    void sweepDeletesFilesPastTheAgeThenTheOldestPastTheSizeCap() throws Exception {
        HeatmapStore byAge = new HeatmapStore(root, Duration.ofHours(1), Long.MAX_VALUE);
        HeatmapStore.Stored old = byAge.write("c", "old", FloatImage.zeros(3, 12, 16), detection(0.9f));
        HeatmapStore.Stored fresh = byAge.write("c", "fresh", FloatImage.zeros(3, 12, 16), detection(0.9f));
        for (String uri : new String[] {old.overlayUri(), old.mapUri(), old.reconstructionUri()}) {
            Files.setLastModifiedTime(Path.of(URI.create(uri)), FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        }
        assertThat(byAge.sweep()).isEqualTo(3);
        assertThat(Path.of(URI.create(old.overlayUri()))).doesNotExist();
        assertThat(Path.of(URI.create(fresh.overlayUri()))).exists();

        long oneResult;
        try (Stream<Path> files = Files.list(root.resolve("c"))) {
            oneResult = files.mapToLong(p -> p.toFile().length()).sum();
        }
        HeatmapStore bySize = new HeatmapStore(root, Duration.ofDays(1), oneResult);
        HeatmapStore.Stored newer = bySize.write("c", "newer", FloatImage.zeros(3, 12, 16), detection(0.9f));
        Files.setLastModifiedTime(Path.of(URI.create(fresh.mapUri())), FileTime.from(Instant.now().minusSeconds(60)));
        bySize.sweep();
        assertThat(Path.of(URI.create(fresh.mapUri()))).doesNotExist();
        assertThat(Path.of(URI.create(newer.mapUri()))).exists();
    }
}
