package com.gladstream.cli.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.gladstream.schemas.AnomalyResult;
import com.gladstream.schemas.Decision;
import com.gladstream.schemas.Timings;
import com.gladstream.schemas.config.ServiceConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's HTTP side without Kafka or a browser: images only by held result id and only from
 * the heatmap store, the bounded view, and server-sent events carrying a snapshot and then changes.
 */
class ConsoleServerTest {

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    private ConsoleSettings settings(Path store) {
        return ConsoleSettings.from(ServiceConfig.of(Map.of("heatmaps.dir", store.toString(), "console.http.port", "0",
                "console.results", "3"), Map.of()));
    }

    private static AnomalyResult result(String id, String overlayUri) {
        return AnomalyResult.newBuilder().setEventId(id).setCameraId("camera-1").setCategory("tiles")
                .setCaptureTime(Instant.ofEpochMilli(1000)).setScore(0.5).setDecision(Decision.ANOMALOUS).setThreshold(0.3)
                .setAdaptiveStep(135).setHeatmapUri(overlayUri).setMapUri(null).setReconstructionUri(null)
                .setModelVersion("v1").setRegions(List.of())
                .setTimings(Timings.newBuilder().setQueueMillis(1).setInferenceMillis(2).setBatchSize(1).build())
                .setProducedAt(Instant.ofEpochMilli(2000)).build();
    }

    private HttpResponse<byte[]> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String image(String base, String id, String kind) {
        return base + "image?result=" + URLEncoder.encode(id, StandardCharsets.UTF_8) + "&kind=" + kind;
    }

    @Test
    void servesStoreFilesOfHeldResultsOnly() throws Exception {
        Path store = Files.createDirectories(dir.resolve("heatmaps").resolve("tiles"));
        Path inside = Files.write(store.resolve("e1.overlay.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G'});
        Path outside = Files.write(dir.resolve("secret.png"), "secret".getBytes(StandardCharsets.UTF_8));
        Files.createSymbolicLink(store.resolve("link.overlay.png"), outside);

        OperatorView view = new OperatorView(3, 1 << 20);
        view.add(result("e1", inside.toUri().toString()));
        view.add(result("outside", outside.toUri().toString()));
        view.add(result("linked", store.resolve("link.overlay.png").toUri().toString()));
        view.addInput("e1", new byte[] {1, 2, 3}, "image/png");
        try (ConsoleServer server = new ConsoleServer(view, settings(dir.resolve("heatmaps")), category -> "retrain-" + category)) {
            String base = server.url();
            assertThat(base).startsWith("http://127.0.0.1:");

            HttpResponse<byte[]> ok = get(image(base, "e1", "overlay"));
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).isEqualTo(Files.readAllBytes(inside));
            assertThat(get(image(base, "e1", "input")).body()).containsExactly(1, 2, 3);

            assertThat(get(image(base, "outside", "overlay")).statusCode()).as("a URI outside the store").isEqualTo(404);
            assertThat(get(image(base, "linked", "overlay")).statusCode()).as("a link leading out of the store").isEqualTo(404);
            assertThat(get(image(base, "e1", "map")).statusCode()).as("an unknown kind").isEqualTo(404);
            assertThat(get(image(base, inside.toString(), "overlay")).statusCode()).as("a path as id").isEqualTo(404);
            assertThat(get(image(base, "e1", "reconstruction")).statusCode()).as("a result without one").isEqualTo(404);
            assertThat(get(base + "etc/passwd").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void viewKeepsTheNewestResultsAndTheLatestWindow() {
        OperatorView view = new OperatorView(3, 10);
        for (int i = 0; i < 5; i++) {
            view.add(result("e" + i, null));
        }
        view.add(result("e4", null)); // a replayed result is shown once
        @SuppressWarnings("unchecked")
        List<OperatorView.ResultRow> rows = (List<OperatorView.ResultRow>) view.snapshot().get("results");
        assertThat(rows).extracting(OperatorView.ResultRow::id).containsExactly("e4", "e3", "e2");
        assertThat(view.result("e0")).as("dropped results no longer map to files").isEmpty();

        view.addInput("a", new byte[6], "image/png");
        view.addInput("b", new byte[6], "image/png");
        assertThat(view.input("a")).as("the oldest input leaves past the byte budget").isEmpty();
        assertThat(view.input("b")).isPresent();
        view.addInput("huge", new byte[11], "image/png");
        assertThat(view.input("huge")).isEmpty();
    }

    @Test
    void eventsStartWithASnapshotThenCarryEachChange() throws Exception {
        OperatorView view = new OperatorView(3, 1 << 20);
        view.add(result("before", null));
        try (ConsoleServer server = new ConsoleServer(view, settings(dir), category -> "retrain-" + category)) {
            var connection = (java.net.HttpURLConnection) URI.create(server.url() + "events").toURL().openConnection();
            connection.setReadTimeout(10_000);
            try (BufferedReader in = new BufferedReader(new InputStreamReader(connection.getInputStream(),
                    StandardCharsets.UTF_8))) {
                assertThat(connection.getContentType()).startsWith("text/event-stream");
                assertThat(in.readLine()).isEqualTo("event: snapshot");
                assertThat(in.readLine()).startsWith("data: ").contains("\"id\":\"before\"");
                assertThat(in.readLine()).isEmpty();
                view.add(result("after", null));
                assertThat(in.readLine()).isEqualTo("event: result");
                assertThat(in.readLine()).contains("\"id\":\"after\"").contains("\"decision\":\"ANOMALOUS\"");
            } finally {
                connection.disconnect();
            }
        }
    }
}
