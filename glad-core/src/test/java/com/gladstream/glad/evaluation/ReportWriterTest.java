package com.gladstream.glad.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.gladstream.glad.metrics.MetricsReport;
import com.gladstream.glad.metrics.RocCurve;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {

    @Test
    void writesTheDocumentedJsonFieldsAndAnHtmlRowPerImage(@TempDir Path dir) throws Exception {
        MetricsReport metrics = new MetricsReport(0.91, 0.82, 0.73, 0.94, 0.45, 0.5, 0.66);
        List<EvaluationReport.ImageResult> images = List.of(
                new EvaluationReport.ImageResult("test/good/000.png", "good", false, 0.12, false, null,
                        "img/0_input.png", "img/0_recon.png", "img/0_overlay.png"),
                new EvaluationReport.ImageResult("test/scratch/001.png", "scratch", true, 0.87, true, 450,
                        "img/1_input.png", "img/1_recon.png", "img/1_overlay.png"));
        RocCurve roc = RocCurve.of(new double[] {0.12, 0.87}, new boolean[] {false, true}, 100);
        EvaluationReport report = new EvaluationReport("widget", "test", "glad", 750, "v3", "onnx:backbone", metrics, images,
                new EvaluationReport.Cost(0.5, 450, 0.5, 12, 6, new EvaluationReport.PerImage(3, 4),
                        new EvaluationReport.PerImage(21, 8)), roc, roc);

        ReportWriter.write(report, dir);

        JsonNode json = new ObjectMapper().readTree(dir.resolve("report.json").toFile());
        assertThat(json.get("category").asText()).isEqualTo("widget");
        assertThat(json.get("dataset").asText()).isEqualTo("test");
        assertThat(json.get("mode").asText()).isEqualTo("glad");
        assertThat(json.get("step").asInt()).isEqualTo(750);
        ReportWriter.metricsByName(metrics).forEach((name, value) ->
                assertThat(json.get("metrics").get(name).asDouble()).as(name).isEqualTo(value));
        assertThat(json.get("images")).hasSize(2);
        assertThat(json.get("images").get(1).get("path").asText()).isEqualTo("test/scratch/001.png");
        assertThat(json.get("images").get(1).get("score").asDouble()).isEqualTo(0.87);
        assertThat(json.get("timing").get("seconds_per_image").asDouble()).isEqualTo(0.5);
        assertThat(json.get("cost").get("unet_evaluations_per_normal_image").asDouble()).isEqualTo(3);
        assertThat(json.get("cost").get("feature_extractions_per_normal_image").asDouble()).isEqualTo(4);
        assertThat(json.get("cost").get("unet_evaluations_per_anomalous_image").asDouble()).isEqualTo(21);
        assertThat(json.get("cost").get("feature_extractions_per_anomalous_image").asDouble()).isEqualTo(8);

        String html = Files.readString(dir.resolve("report.html"));
        for (EvaluationReport.ImageResult img : images) {
            assertThat(html).contains(img.input(), img.reconstruction(), img.overlay(), img.path());
        }
        assertThat(html).contains("<svg").contains("image-level AUROC 0.9100").contains("3.0 / 21.0", "4.0 / 8.0");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("report.json", "report.html");
        }
    }

    @Test
    void rocCurveRunsFromOriginToOneAndTiesFormOneStep() {
        double[] scores = {0.9, 0.5, 0.5, 0.1};
        boolean[] labels = {true, true, false, false};
        RocCurve roc = RocCurve.of(scores, labels, 100);
        // Thresholds 0.9, 0.5 (tie of one positive and one negative), 0.1.
        assertThat(roc.fpr()).containsExactly(0.0, 0.0, 0.5, 1.0);
        assertThat(roc.tpr()).containsExactly(0.0, 0.5, 1.0, 1.0);
    }

    @Test
    void rocCurveIsThinnedButKeepsItsEnds() {
        int n = 1000;
        double[] scores = new double[n];
        boolean[] labels = new boolean[n];
        for (int i = 0; i < n; i++) {
            scores[i] = i;
            labels[i] = i % 3 == 0;
        }
        RocCurve roc = RocCurve.of(scores, labels, 50);
        assertThat(roc.fpr()).hasSize(50);
        assertThat(roc.fpr()[0]).isZero();
        assertThat(roc.tpr()[49]).isEqualTo(1.0);
        assertThat(roc.fpr()[49]).isEqualTo(1.0);
    }
}
