package com.gladstream.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.gladstream.cli.InProcessGlad;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code glad demo} end to end in this JVM on a small generated category and a briefly trained
 * {@code tiny} model (the demo's own model takes minutes to train; its figures are in docs/RESULTS.md):
 * every frame comes back exactly once, the corrupt ones as dead letters, and the summary and the
 * report are written.
 */
class DemoCommandTest {

    @TempDir
    Path dir;

    @Test
    void everyFrameComesBackOnceAndTheSummaryAndReportAreWritten() throws Exception {
        InProcessGlad glad = new InProcessGlad();
        Path data = dir.resolve("data");
        assertThat(glad.run("generate", "--out", data.toString(), "--category", "tiles", "--size", "32",
                "--train", "12", "--test-good", "3", "--test-defect", "1", "--seed", "4")).as(glad.err()).isZero();
        Path model = dir.resolve("model");
        assertThat(glad.run("train", "--data", data.resolve("tiles").toString(), "--model-dir", model.toString(),
                "--preset", "tiny", "--steps", "40", "--seed", "4", "--max-step", "300", "--inference-steps", "4"))
                .as(glad.err()).isZero();

        Path out = dir.resolve("out");
        int code = glad.run("demo", "--data", data.resolve("tiles").toString(), "--model-dir", model.toString(),
                "--rate", "20", "--corrupt", "2", "--cache", dir.resolve("cache").toString(), "--out", out.toString());

        assertThat(code).as(glad.out() + glad.err()).isZero();
        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        int frames = summary.get("images").asInt();
        assertThat(summary.get("results").asInt()).isEqualTo(frames - 2);
        assertThat(summary.get("dead_letters").get("CORRUPT_IMAGE").asInt()).isEqualTo(2);
        assertThat(summary.get("missing").asInt()).isZero();
        assertThat(summary.get("duplicates").asInt()).isZero();
        assertThat(summary.get("images_per_second").asDouble()).isPositive();
        assertThat(summary.get("latency_p99_ms").asDouble()).isGreaterThanOrEqualTo(summary.get("latency_p50_ms").asDouble());
        assertThat(summary.get("image_auroc").asDouble()).isBetween(0.0, 1.0);
        assertThat(summary.get("pixel_auroc").asDouble()).isBetween(0.0, 1.0);
        String report = Files.readString(out.resolve("report.html"));
        assertThat(report).contains("data:image/png;base64").contains("CORRUPT_IMAGE");
        assertThat(glad.out()).contains("summary: " + frames + " frames");
    }
}
