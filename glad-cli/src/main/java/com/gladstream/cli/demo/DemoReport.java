package com.gladstream.cli.demo;

import com.gladstream.schemas.AnomalyResult;
import com.gladstream.schemas.RejectedImage;
import com.gladstream.schemas.serde.Buffers;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The demo's HTML report: the summary, then every frame with its input, reconstruction and
 * heatmap overlay, score, decision, adaptive step and latency, or its dead-letter reason. One
 * self-contained file (images inlined), to open in any browser.
 */
final class DemoReport {

    private DemoReport() {}

    static String html(DemoSummary summary, List<CameraSimulator.Frame> sent, Map<String, ResultCollector.Arrival> arrivals)
            throws IOException {
        StringBuilder h = new StringBuilder("""
                <!doctype html><html><head><meta charset="utf-8"><title>GLAD Stream demo</title>
                <style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}
                td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}img{width:128px;image-rendering:pixelated}
                .ANOMALOUS{color:#b00;font-weight:bold}.NORMAL{color:#070}</style></head><body>
                <h1>GLAD Stream demo</h1>
                """);
        h.append("<table>");
        summary.toJson().forEach((k, v) -> h.append("<tr><th>").append(k).append("</th><td>")
                .append(v instanceof Double d ? String.format(Locale.ROOT, "%.3f", d) : escape(String.valueOf(v)))
                .append("</td></tr>"));
        h.append("</table><h2>Every frame</h2><table><tr><th>event</th><th>camera</th><th>truth</th><th>input</th>"
                + "<th>reconstruction</th><th>heatmap</th><th>score</th><th>threshold</th><th>decision</th>"
                + "<th>adaptive step</th><th>latency ms</th><th>model</th></tr>\n");
        for (CameraSimulator.Frame frame : sent) {
            ResultCollector.Arrival arrival = arrivals.get(frame.event().getEventId());
            String truth = frame.sample() == null ? "corrupt" : frame.sample().anomalous() ? frame.sample().defectType() : "good";
            h.append("<tr><td>").append(escape(frame.event().getEventId())).append("</td><td>")
                    .append(escape(frame.event().getCameraId())).append("</td><td>").append(escape(truth)).append("</td><td>")
                    .append(img(Buffers.toArray(frame.event().getImageBytes()))).append("</td>");
            if (arrival == null) {
                h.append("<td colspan=8>no verdict arrived</td></tr>\n");
                continue;
            }
            long latency = (arrival.arrivedAtNanos() - frame.sentAtNanos()) / 1_000_000;
            if (arrival.deadLetter() != null) {
                RejectedImage d = arrival.deadLetter();
                h.append("<td colspan=6>dead letter: <b>").append(d.getReason()).append("</b> ")
                        .append(escape(d.getMessage())).append("</td><td>").append(latency).append("</td><td></td></tr>\n");
                continue;
            }
            AnomalyResult r = arrival.result();
            h.append("<td>").append(img(file(r.getReconstructionUri()))).append("</td><td>")
                    .append(img(file(r.getHeatmapUri()))).append("</td>")
                    .append(String.format(Locale.ROOT, "<td>%.4f</td><td>%.4f</td>", r.getScore(), r.getThreshold()))
                    .append("<td class=").append(r.getDecision()).append('>').append(r.getDecision()).append("</td><td>")
                    .append(r.getAdaptiveStep() == null ? "-" : r.getAdaptiveStep()).append("</td><td>").append(latency)
                    .append("</td><td>").append(escape(r.getModelVersion())).append("</td></tr>\n");
        }
        return h.append("</table></body></html>\n").toString();
    }

    private static String img(byte[] png) {
        return png == null ? "" : "<img src=\"data:image/png;base64," + Base64.getEncoder().encodeToString(png) + "\">";
    }

    private static byte[] file(String uri) throws IOException {
        return uri == null ? null : Files.readAllBytes(Path.of(URI.create(uri)));
    }

    static String escape(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
