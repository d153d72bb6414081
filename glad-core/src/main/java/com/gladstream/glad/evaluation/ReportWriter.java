package com.gladstream.glad.evaluation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.gladstream.glad.metrics.MetricsReport;
import com.gladstream.glad.metrics.RocCurve;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes an {@link EvaluationReport} as {@code report.json} (for machines) and {@code report.html} (for people). */
public final class ReportWriter {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReportWriter() {}

    /** The metric names of report.json, in display order, with their values. */
    public static Map<String, Double> metricsByName(MetricsReport m) {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("image_auroc", m.imageAuroc());
        out.put("image_ap", m.imageAp());
        out.put("image_f1max", m.imageF1Max());
        out.put("pixel_auroc", m.pixelAuroc());
        out.put("pixel_ap", m.pixelAp());
        out.put("pixel_f1max", m.pixelF1Max());
        out.put("pro", m.aupro());
        return out;
    }

    public static Map<String, Object> toJsonTree(EvaluationReport r) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("category", r.category());
        root.put("dataset", r.dataset());
        root.put("mode", r.mode());
        root.put("step", r.maxStep());
        root.put("model_version", r.modelVersion());
        root.put("feature_extractor", r.featureExtractor());
        root.put("metrics", metricsByName(r.metrics()));
        List<Map<String, Object>> images = new ArrayList<>();
        for (EvaluationReport.ImageResult img : r.images()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", img.path());
            m.put("label", img.label());
            m.put("anomalous", img.anomalous());
            m.put("score", img.score());
            m.put("predicted_anomalous", img.predictedAnomalous());
            m.put("adaptive_step", img.adaptiveStep());
            images.add(m);
        }
        root.put("images", images);
        EvaluationReport.Cost c = r.cost();
        Map<String, Object> timing = new LinkedHashMap<>();
        timing.put("seconds_per_image", c.secondsPerImage());
        root.put("timing", timing);
        Map<String, Object> cost = new LinkedHashMap<>();
        cost.put("mean_adaptive_step", finiteOrNull(c.meanAdaptiveStep()));
        cost.put("triggered_fraction", c.triggeredFraction());
        cost.put("unet_evaluations_per_image", c.unetEvaluationsPerImage());
        cost.put("feature_extractions_per_image", c.featureExtractionsPerImage());
        cost.put("unet_evaluations_per_normal_image", finiteOrNull(c.normal().unetEvaluations()));
        cost.put("feature_extractions_per_normal_image", finiteOrNull(c.normal().featureExtractions()));
        cost.put("unet_evaluations_per_anomalous_image", finiteOrNull(c.anomalous().unetEvaluations()));
        cost.put("feature_extractions_per_anomalous_image", finiteOrNull(c.anomalous().featureExtractions()));
        root.put("cost", cost);
        return root;
    }

    private static Double finiteOrNull(double v) {
        return Double.isNaN(v) ? null : v;
    }

    /** Writes both files into {@code dir}; each is written to a temporary file first, then moved. */
    public static void write(EvaluationReport report, Path dir) throws IOException {
        Files.createDirectories(dir);
        writeAtomically(dir.resolve("report.json"), JSON.writeValueAsString(toJsonTree(report)));
        writeAtomically(dir.resolve("report.html"), html(report));
    }

    /**
     * Writes an ablation study as {@code ablation.json}, {@code ablation.md} (the tables as they go
     * into docs) and {@code ablation.html}.
     */
    public static void writeAblation(String category, List<AblationStudy.Row> rows, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Map<String, Object>> json = new ArrayList<>();
        for (AblationStudy.Row row : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("table", row.table());
            m.put("row", row.name());
            m.putAll(toJsonTree(row.report()));
            m.remove("images");
            json.add(m);
        }
        writeAtomically(dir.resolve("ablation.json"), JSON.writeValueAsString(Map.of("category", category, "rows", json)));
        String markdown = ablationMarkdown(rows);
        writeAtomically(dir.resolve("ablation.md"), markdown);
        writeAtomically(dir.resolve("ablation.html"), "<!doctype html><html><head><meta charset=\"utf-8\"><title>Ablation: "
                + esc(category) + "</title><style>body{font-family:system-ui,sans-serif;margin:24px}"
                + "table{border-collapse:collapse}td,th{padding:4px 8px;border-bottom:1px solid #ddd;text-align:right}"
                + "td:first-child,th:first-child{text-align:left}</style></head><body><h1>Ablation: " + esc(category)
                + "</h1>" + markdownTablesToHtml(rows) + "</body></html>\n");
    }

    private static final String[] ABLATION_COLUMNS = {"row", "I-AUROC", "I-AP", "I-F1max", "P-AUROC", "P-AP", "P-F1max",
        "PRO", "mean ADS step", "UNet evals/img", "feature extractions/img", "UNet evals normal / anomalous",
        "feature extractions normal / anomalous", "s/img"};

    public static String ablationMarkdown(List<AblationStudy.Row> rows) {
        StringBuilder md = new StringBuilder();
        String table = null;
        for (AblationStudy.Row row : rows) {
            if (!row.table().equals(table)) {
                table = row.table();
                md.append(md.length() == 0 ? "" : "\n").append("| ").append(String.join(" | ", ABLATION_COLUMNS)).append(" |\n|")
                        .append("---|".repeat(ABLATION_COLUMNS.length)).append('\n');
            }
            md.append("| ").append(String.join(" | ", ablationCells(row))).append(" |\n");
        }
        return md.toString();
    }

    private static List<String> ablationCells(AblationStudy.Row row) {
        List<String> cells = new ArrayList<>();
        cells.add(row.name());
        metricsByName(row.report().metrics()).values().forEach(v -> cells.add(String.format(Locale.ROOT, "%.3f", v)));
        EvaluationReport.Cost c = row.report().cost();
        cells.add(Double.isNaN(c.meanAdaptiveStep()) ? "—" : String.format(Locale.ROOT, "%.0f", c.meanAdaptiveStep()));
        cells.add(String.format(Locale.ROOT, "%.1f", c.unetEvaluationsPerImage()));
        cells.add(String.format(Locale.ROOT, "%.1f", c.featureExtractionsPerImage()));
        cells.add(normalAndAnomalous(c.normal().unetEvaluations(), c.anomalous().unetEvaluations()));
        cells.add(normalAndAnomalous(c.normal().featureExtractions(), c.anomalous().featureExtractions()));
        cells.add(String.format(Locale.ROOT, "%.2f", c.secondsPerImage()));
        return cells;
    }

    /** "normal / anomalous" means, e.g. {@code 3.0 / 8.4}. */
    public static String normalAndAnomalous(double normal, double anomalous) {
        return String.format(Locale.ROOT, "%.1f / %.1f", normal, anomalous);
    }

    private static String markdownTablesToHtml(List<AblationStudy.Row> rows) {
        StringBuilder h = new StringBuilder();
        String table = null;
        for (AblationStudy.Row row : rows) {
            if (!row.table().equals(table)) {
                h.append(table == null ? "" : "</table>").append("<h2>").append(esc(row.table())).append("</h2><table><tr>");
                for (String c : ABLATION_COLUMNS) {
                    h.append("<th>").append(esc(c)).append("</th>");
                }
                h.append("</tr>");
                table = row.table();
            }
            h.append("<tr>");
            ablationCells(row).forEach(c -> h.append("<td>").append(esc(c)).append("</td>"));
            h.append("</tr>");
        }
        return h.append("</table>").toString();
    }

    static void writeAtomically(Path target, String content) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    static String html(EvaluationReport r) {
        StringBuilder h = new StringBuilder(16_384);
        h.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>GLAD evaluation: ")
                .append(esc(r.category())).append("</title><style>")
                .append("body{font-family:system-ui,sans-serif;margin:24px;color:#222}")
                .append("table{border-collapse:collapse}td,th{padding:4px 10px;border-bottom:1px solid #ddd;text-align:left}")
                .append(".num{text-align:right;font-variant-numeric:tabular-nums}")
                .append(".imgs img{width:160px;height:160px;image-rendering:pixelated;margin-right:4px}")
                .append(".bad{color:#b00020;font-weight:600}.ok{color:#1b5e20}.curves svg{margin-right:24px}")
                .append("</style></head><body>");
        h.append("<h1>").append(esc(r.category())).append(" — ").append(esc(r.mode())).append(", T=").append(r.maxStep())
                .append("</h1>");
        h.append("<p>").append(esc(r.dataset())).append(" images, model ").append(esc(r.modelVersion())).append(", features ").append(esc(r.featureExtractor()))
                .append(", ").append(r.images().size()).append(" images</p>");

        h.append("<h2>Metrics</h2><table>");
        metricsByName(r.metrics()).forEach((k, v) -> h.append("<tr><th>").append(k).append("</th><td class=num>")
                .append(fmt(v)).append("</td></tr>"));
        EvaluationReport.Cost c = r.cost();
        h.append("<tr><th>seconds per image</th><td class=num>").append(fmt(c.secondsPerImage())).append("</td></tr>")
                .append("<tr><th>mean adaptive step</th><td class=num>")
                .append(Double.isNaN(c.meanAdaptiveStep()) ? "—" : fmt(c.meanAdaptiveStep())).append("</td></tr>")
                .append("<tr><th>UNet evaluations / image</th><td class=num>").append(fmt(c.unetEvaluationsPerImage()))
                .append("</td></tr><tr><th>feature extractions / image</th><td class=num>")
                .append(fmt(c.featureExtractionsPerImage())).append("</td></tr>")
                .append("<tr><th>UNet evaluations / image, normal / anomalous</th><td class=num>")
                .append(esc(normalAndAnomalous(c.normal().unetEvaluations(), c.anomalous().unetEvaluations())))
                .append("</td></tr><tr><th>feature extractions / image, normal / anomalous</th><td class=num>")
                .append(esc(normalAndAnomalous(c.normal().featureExtractions(), c.anomalous().featureExtractions())))
                .append("</td></tr></table>");

        h.append("<h2>ROC curves</h2><div class=curves>")
                .append(svgRoc("image-level", r.imageRoc(), r.metrics().imageAuroc()))
                .append(svgRoc("pixel-level", r.pixelRoc(), r.metrics().pixelAuroc()))
                .append("</div>");

        h.append("<h2>Images</h2><p>input · reconstruction · anomaly map overlay; sorted by score</p><table>")
                .append("<tr><th>image</th><th>label</th><th class=num>score</th><th>decision</th><th>ADS step</th></tr>");
        List<EvaluationReport.ImageResult> sorted = new ArrayList<>(r.images());
        sorted.sort((a, b) -> Double.compare(b.score(), a.score()));
        for (EvaluationReport.ImageResult img : sorted) {
            boolean correct = img.anomalous() == img.predictedAnomalous();
            h.append("<tr><td class=imgs>")
                    .append(imgTag(img.input())).append(imgTag(img.reconstruction())).append(imgTag(img.overlay()))
                    .append("<br><small>").append(esc(img.path())).append("</small></td><td>").append(esc(img.label()))
                    .append("</td><td class=num>").append(fmt(img.score())).append("</td><td class=")
                    .append(correct ? "ok" : "bad").append('>').append(img.predictedAnomalous() ? "anomalous" : "normal")
                    .append("</td><td class=num>").append(img.adaptiveStep() == null ? "—" : img.adaptiveStep())
                    .append("</td></tr>");
        }
        h.append("</table></body></html>\n");
        return h.toString();
    }

    private static String svgRoc(String title, RocCurve roc, double auc) {
        int size = 260;
        int pad = 30;
        double span = size - 2.0 * pad;
        StringBuilder s = new StringBuilder();
        s.append("<svg width=").append(size).append(" height=").append(size).append(" viewBox=\"0 0 ")
                .append(size).append(' ').append(size).append("\" xmlns=\"http://www.w3.org/2000/svg\">")
                .append("<rect x=").append(pad).append(" y=").append(pad).append(" width=").append((int) span)
                .append(" height=").append((int) span).append(" fill=none stroke=#999 />")
                .append("<line x1=").append(pad).append(" y1=").append(size - pad).append(" x2=").append(size - pad)
                .append(" y2=").append(pad).append(" stroke=#ccc stroke-dasharray=4 />")
                .append("<polyline fill=none stroke=#1565c0 stroke-width=2 points=\"");
        for (int i = 0; i < roc.fpr().length; i++) {
            s.append(String.format(Locale.ROOT, "%.1f,%.1f ", pad + roc.fpr()[i] * span, size - pad - roc.tpr()[i] * span));
        }
        s.append("\"/><text x=").append(pad).append(" y=20 font-size=13>").append(esc(title)).append(" AUROC ")
                .append(fmt(auc)).append("</text><text x=").append(size / 2 - 10).append(" y=").append(size - 8)
                .append(" font-size=11>FPR</text><text x=4 y=").append(size / 2).append(" font-size=11>TPR</text></svg>");
        return s.toString();
    }

    private static String imgTag(String src) {
        return src == null ? "" : "<img loading=lazy src=\"" + esc(src) + "\">";
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%.4f", v);
    }

    private static String esc(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
