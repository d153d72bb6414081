package com.gladstream.cli.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.gladstream.cli.InProcessGlad;
import com.gladstream.glad.data.MvtecCategory;
import com.gladstream.glad.evaluation.AdsRuleStudy;
import com.gladstream.glad.reconstruction.AdsCalibrator;
import com.gladstream.glad.model.ModelStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * generate → train → eval → detect end to end on a category made in code, with the tiny preset,
 * and the one-line errors of bad input. The model is trained once for the class.
 */
class EngineCommandsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static Path category;
    static Path model;

    private final InProcessGlad glad = new InProcessGlad();

    @BeforeAll
    static void trainTinyModel() {
        InProcessGlad glad = new InProcessGlad();
        assertThat(glad.run("generate", "--out", dir.toString(), "--category", "wood", "--size", "64",
                "--train", "16", "--test-good", "4", "--test-defect", "2", "--seed", "3")).as(glad.err()).isZero();
        category = dir.resolve("wood");
        model = dir.resolve("model");
        assertThat(glad.run("train", "--data", category.toString(), "--model-dir", model.toString(), "--preset", "tiny",
                "--steps", "150", "--seed", "3", "--inference-steps", "5")).as(glad.err()).isZero();
        assertThat(glad.out()).contains("saved model to");
    }

    @Test
    void trainedModelIsCalibratedAndVersioned() throws Exception {
        var metadata = ModelStore.readMetadata(model);
        assertThat(metadata.calibration()).isNotNull();
        assertThat(metadata.calibration().threshold()).isPositive();
        assertThat(metadata.calibration().inferenceSteps()).isEqualTo(5);
        assertThat(metadata.version()).startsWith("wood-");
        assertThat(dir.resolve("model.checkpoints")).doesNotExist();
    }

    @Test
    void evalWritesTheReportWithAllMetricsAndEveryImage() throws IOException {
        Path report = dir.resolve("report");
        assertThat(glad.run("eval", "--data", category.toString(), "--model-dir", model.toString(), "--out", report.toString(),
                "--eval-size", "64")).as(glad.err()).isZero();

        JsonNode json = JSON.readTree(report.resolve("report.json").toFile());
        assertThat(json.get("category").asText()).isEqualTo("wood");
        assertThat(json.get("mode").asText()).isEqualTo("glad");
        for (String metric : List.of("image_auroc", "image_ap", "image_f1max", "pixel_auroc", "pixel_ap", "pixel_f1max", "pro")) {
            assertThat(json.get("metrics").get(metric).asDouble()).as(metric).isBetween(0.0, 1.0);
        }
        // 4 good + 5 defect types × 2
        assertThat(json.get("images")).hasSize(14);
        assertThat(json.get("timing").get("seconds_per_image").asDouble()).isPositive();
        String html = Files.readString(report.resolve("report.html"));
        for (JsonNode image : json.get("images")) {
            assertThat(html).contains(image.get("path").asText());
        }
        try (Stream<Path> images = Files.list(report.resolve("images"))) {
            assertThat(images.count()).isEqualTo(3 * 14);
        }
    }

    @Test
    void fixedModeIsRecalibratedOnHeldOutNormals() throws IOException {
        Path report = dir.resolve("report-fixed");
        assertThat(glad.run("eval", "--data", category.toString(), "--model-dir", model.toString(), "--out", report.toString(),
                "--eval-size", "64", "--mode", "fixed", "--step", "250")).as(glad.err()).isZero();
        assertThat(glad.err()).contains("re-calibrating for fixed mode at T=250");
        JsonNode json = JSON.readTree(report.resolve("report.json").toFile());
        assertThat(json.get("mode").asText()).isEqualTo("fixed");
        assertThat(json.get("step").asInt()).isEqualTo(250);
        assertThat(json.get("cost").get("mean_adaptive_step").isNull()).isTrue();
    }

    @Test
    void validationComparesFeatureExtractorsWithoutTestImages() throws IOException {
        Path report = dir.resolve("validation-pixel");
        assertThat(glad.run("eval", "--validation", "--features", "pixel", "--anomalies", "Scratches", "--data",
                category.toString(), "--model-dir", model.toString(), "--out", report.toString(), "--eval-size", "64"))
                .as(glad.err()).isZero();
        JsonNode json = JSON.readTree(report.resolve("report.json").toFile());
        assertThat(json.get("dataset").asText()).isEqualTo("validation");
        assertThat(json.get("feature_extractor").asText()).startsWith("pixel");
        int heldOut = MvtecCategory.open(category).heldOutSamples().size();
        assertThat(json.get("images")).hasSize(3 * heldOut);
        for (JsonNode image : json.get("images")) {
            assertThat(image.get("path").asText()).doesNotStartWith("test/");
            assertThat(image.get("label").asText()).isEqualTo(image.get("anomalous").asBoolean() ? "synthetic-scratches" : "good");
        }
    }

    @Test
    void detectWritesAHeatmapAndAJsonLinePerImage() throws IOException {
        Path a = category.resolve("test/good/000.png");
        Path b = category.resolve("test/scratch/000.png");
        Path results = dir.resolve("detections");
        assertThat(glad.run("detect", "--model-dir", model.toString(), "--out", results.toString(), a.toString(), b.toString()))
                .as(glad.err()).isZero();
        List<String> lines = glad.out().lines().toList();
        assertThat(lines).hasSize(2);
        for (String line : lines) {
            JsonNode node = JSON.readTree(line);
            assertThat(node.get("decision").asText()).isIn("NORMAL", "ANOMALOUS");
            assertThat(node.get("score").asDouble()).isEqualTo(node.get("score").asDouble());
            assertThat(Path.of(node.get("heatmap").asText())).exists();
        }
        assertThat(Files.readAllLines(results.resolve("results.jsonl"))).isEqualTo(lines);
    }

    @Test
    void ablationEvaluatesEveryRowOnBothModels() throws IOException {
        Path atp = dir.resolve("model-atp");
        assertThat(glad.run("train", "--data", category.toString(), "--model-dir", atp.toString(), "--preset", "tiny",
                "--steps", "150", "--seed", "3", "--inference-steps", "5", "--atp")).as(glad.err()).isZero();
        Path report = dir.resolve("ablation");
        assertThat(glad.run("eval", "--ablation", "--data", category.toString(), "--model-dir", atp.toString(),
                "--plain-model-dir", model.toString(), "--ablation-steps", "250,750", "--eval-size", "64",
                "--out", report.toString())).as(glad.err()).isZero();

        JsonNode rows = JSON.readTree(report.resolve("ablation.json").toFile()).get("rows");
        assertThat(rows).extracting(r -> r.get("row").asText()).containsExactly("fixed-step baseline", "+ADS", "+ATP",
                "+ADS +ATP (no SAFF)", "GLAD (ADS +ATP +SAFF)", "fixed T=250", "fixed T=750", "adaptive (GLAD, T=750)");
        // The full model at the fixed T = 750 is the +ATP row, shown in both tables.
        assertThat(rows.get(6).get("metrics")).isEqualTo(rows.get(2).get("metrics"));
        for (JsonNode row : rows) {
            assertThat(row.get("metrics").get("image_auroc").asDouble()).isBetween(0.0, 1.0);
            boolean adaptive = "glad".equals(row.get("mode").asText());
            assertThat(row.get("cost").get("feature_extractions_per_image").asDouble())
                    .as(row.get("row").asText()).isGreaterThan(adaptive ? 2.0 : 1.0);
        }
        assertThat(Files.readString(report.resolve("ablation.md"))).contains("| +ADS |");
        assertThat(report.resolve("ablation.html")).exists();
    }

    @Test
    void adsRuleStudyJudgesEveryCandidateRuleOnHeldOutImagesOnly() throws IOException {
        Path report = dir.resolve("ads-rules");
        assertThat(glad.run("eval", "--ads-rules", "--data", category.toString(), "--model-dir", model.toString(),
                "--out", report.toString())).as(glad.err()).isZero();

        String table = Files.readString(report.resolve("ads-rules.md"));
        assertThat(glad.out()).contains(table);
        int heldOut = MvtecCategory.open(category).heldOutSamples().size();
        for (AdsCalibrator rule : AdsRuleStudy.CANDIDATES) {
            // Every held-out image left out once, under every noise draw; two anomalies made from each.
            assertThat(table).contains("| " + rule.describe() + " | ")
                    .containsPattern("\\| " + Pattern.quote(rule.describe()) + " \\| \\d+/"
                            + heldOut * AdsRuleStudy.DRAWS + " .*\\| \\d+/" + heldOut * 2 + " ");
        }
    }

    @Test
    void conflictingEvalStudiesAreAnErrorNotASilentChoice() {
        Path report = dir.resolve("r-conflict");
        int exit = glad.run("eval", "--ablation", "--ads-rules", "--data", category.toString(), "--model-dir",
                model.toString(), "--out", report.toString());
        assertThat(exit).isNotZero();
        assertThat(glad.err().strip()).startsWith("glad eval: error: ").contains("--ablation and --ads-rules")
                .doesNotContain("\n");
        assertThat(glad.run("eval", "--plain-model-dir", model.toString(), "--data", category.toString(), "--model-dir",
                model.toString(), "--out", report.toString())).isNotZero();
        assertThat(glad.err()).contains("need --ablation");
        assertThat(glad.run("eval", "--anomalies", "scratches", "--data", category.toString(), "--model-dir",
                model.toString(), "--out", report.toString())).isNotZero();
        assertThat(glad.err()).contains("--anomalies").contains("--validation");
        assertThat(glad.run("eval", "--validation", "--anomalies", "cracks", "--data", category.toString(), "--model-dir",
                model.toString(), "--out", report.toString())).isNotZero();
        assertThat(glad.err()).contains("cracks").contains("perlin").contains("scratches");
        assertThat(report).doesNotExist();
    }

    @Test
    void missingDataFolderIsOneLineNamingIt() {
        Path missing = dir.resolve("no-such-category");
        int exit = glad.run("train", "--data", missing.toString(), "--model-dir", dir.resolve("m2").toString(), "--preset", "tiny");
        assertThat(exit).isNotZero();
        assertThat(glad.err().strip()).startsWith("glad train: error: ").contains(missing.toString()).doesNotContain("\n");
        assertThat(dir.resolve("m2")).doesNotExist();
    }

    @Test
    void corruptImageInDetectFailsWithoutWritingOutput() throws IOException {
        Path corrupt = Files.write(dir.resolve("broken.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 1});
        Path results = dir.resolve("detections-broken");
        int exit = glad.run("detect", "--model-dir", model.toString(), "--out", results.toString(), corrupt.toString());
        assertThat(exit).isNotZero();
        assertThat(glad.err().strip()).startsWith("glad detect: error: ").contains(corrupt.toString()).doesNotContain("\n");
        assertThat(results).doesNotExist();
    }

    @Test
    void corruptModelIsOneLineNamingTheFile() throws IOException {
        Path broken = dir.resolve("broken-model");
        Files.createDirectories(broken);
        Files.writeString(broken.resolve(ModelStore.METADATA_FILE), "{ not json");
        int exit = glad.run("eval", "--data", category.toString(), "--model-dir", broken.toString(), "--out",
                dir.resolve("r3").toString());
        assertThat(exit).isNotZero();
        assertThat(glad.err().strip()).startsWith("glad eval: error: ").contains(ModelStore.METADATA_FILE).doesNotContain("\n");
        assertThat(dir.resolve("r3")).doesNotExist();
    }
}
