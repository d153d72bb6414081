package com.gladstream.glad.evaluation;

import com.gladstream.glad.data.PngWriter;
import com.gladstream.glad.metrics.MetricsReport;
import com.gladstream.glad.metrics.RocCurve;
import com.gladstream.glad.pipeline.AnomalyDetector;
import com.gladstream.glad.pipeline.Detection;
import com.gladstream.glad.scoring.HeatmapRenderer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Runs a detector over an {@link EvaluationSet} and measures it: the seven metrics, every image's
 * verdict with its input, reconstruction and heatmap overlay, and the cost per image.
 *
 * <p>Metrics are computed on the set's fixed pixel grid, so models of different resolutions are
 * compared alike. Each image's noise seed derives from its id, so re-running an evaluation
 * reproduces it.
 */
public final class Evaluator {

    /** Shorter side of the pixel grid on which pixel metrics are computed (the grid keeps the model's aspect). */
    public static final int DEFAULT_EVAL_SIZE = 256;
    private static final int ROC_POINTS = 200;
    private static final int MAX_PIXEL_ROC_SAMPLES = 200_000;
    private static final int PROGRESS_CHUNK = 8;

    private final Consumer<String> progress;

    /** @param progress receives one human-readable progress line per chunk of images */
    public Evaluator(Consumer<String> progress) {
        this.progress = progress;
    }

    /**
     * @param imagesDir where input, reconstruction and overlay PNGs are written, or null for none
     * @param imagesPrefix path of {@code imagesDir} relative to the report, used in the report's links
     */
    public EvaluationReport evaluate(EvaluationSet set, AnomalyDetector detector, String modelVersion,
            String featureExtractor, Path imagesDir, String imagesPrefix) throws IOException {
        List<EvaluationSet.Item> items = set.items();
        List<Detection> detections = new ArrayList<>(items.size());
        long start = System.nanoTime();
        for (int from = 0; from < items.size(); from += PROGRESS_CHUNK) {
            List<EvaluationSet.Item> chunk = items.subList(from, Math.min(items.size(), from + PROGRESS_CHUNK));
            detections.addAll(detector.detect(chunk.stream().map(EvaluationSet.Item::image).toList(),
                    chunk.stream().map(EvaluationSet.Item::noiseSeed).toList()));
            double elapsed = (System.nanoTime() - start) / 1e9;
            int done = detections.size();
            progress.accept(String.format(Locale.ROOT, "%s %s: %d/%d images, %.2f s/image, ETA %.0f s", set.name(),
                    set.kind(), done, items.size(), elapsed / done, elapsed / done * (items.size() - done)));
        }

        double[] scores = new double[items.size()];
        boolean[] labels = new boolean[items.size()];
        List<float[]> maps = new ArrayList<>(items.size());
        List<float[]> masks = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            scores[i] = detections.get(i).score();
            labels[i] = items.get(i).anomalous();
            // Maps come at the model's resolution; the metrics use the set's grid, like the masks.
            maps.add(detections.get(i).map().resize(set.grid().height(), set.grid().width()).values());
            masks.add(items.get(i).mask());
        }
        MetricsReport metrics = MetricsReport.compute(scores, labels, maps, masks, set.grid().height(),
                set.grid().width());

        HeatmapRenderer renderer = rendererFor(detections);
        List<EvaluationReport.ImageResult> results = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            EvaluationSet.Item item = items.get(i);
            Detection d = detections.get(i);
            String input = null;
            String reconstruction = null;
            String overlay = null;
            if (imagesDir != null) {
                String stem = String.format(Locale.ROOT, "%03d", i);
                input = imagesPrefix + "/" + stem + "_input.png";
                reconstruction = imagesPrefix + "/" + stem + "_reconstruction.png";
                overlay = imagesPrefix + "/" + stem + "_overlay.png";
                PngWriter.writeImage(item.image(), imagesDir.resolve(stem + "_input.png"));
                PngWriter.writeImage(d.reconstruction(), imagesDir.resolve(stem + "_reconstruction.png"));
                renderer.writePng(item.image(), d.map(), imagesDir.resolve(stem + "_overlay.png"));
            }
            results.add(new EvaluationReport.ImageResult(item.id(), item.label(), item.anomalous(), d.score(),
                    d.anomalous(), d.adaptiveStep(), input, reconstruction, overlay));
        }
        return new EvaluationReport(set.name(), set.kind(), detector.settings().mode().name().toLowerCase(Locale.ROOT),
                detector.settings().maxStep(), modelVersion, featureExtractor, metrics, results,
                cost(detections, labels), RocCurve.of(scores, labels, ROC_POINTS), pixelRoc(maps, masks));
    }

    /** Colours span [0, 2·threshold] so the threshold sits mid-scale; without one, the largest score. */
    private static HeatmapRenderer rendererFor(List<Detection> detections) {
        double threshold = detections.get(0).threshold();
        double high = Double.isNaN(threshold) || threshold <= 0
                ? detections.stream().mapToDouble(Detection::score).max().orElse(1.0) * 1.25
                : 2 * threshold;
        return new HeatmapRenderer(0.0, Math.max(high, 1e-6), 0.45);
    }

    static EvaluationReport.Cost cost(List<Detection> detections, boolean[] anomalous) {
        int n = detections.size();
        double seconds = 0;
        double stepSum = 0;
        int triggered = 0;
        for (Detection d : detections) {
            seconds += d.seconds();
            if (d.adaptiveStep() != null) {
                stepSum += d.adaptiveStep();
                triggered++;
            }
        }
        EvaluationReport.PerImage all = perImage(detections, anomalous, null);
        return new EvaluationReport.Cost(seconds / n, triggered == 0 ? Double.NaN : stepSum / triggered,
                (double) triggered / n, all.unetEvaluations(), all.featureExtractions(),
                perImage(detections, anomalous, false), perImage(detections, anomalous, true));
    }

    /** Mean cost of the images whose label is {@code label} (null: every image); NaN for none. */
    private static EvaluationReport.PerImage perImage(List<Detection> detections, boolean[] anomalous, Boolean label) {
        int count = 0;
        double unet = 0;
        double features = 0;
        for (int i = 0; i < detections.size(); i++) {
            if (label == null || anomalous[i] == label) {
                count++;
                unet += detections.get(i).unetEvaluations();
                features += detections.get(i).featureExtractions();
            }
        }
        return new EvaluationReport.PerImage(count == 0 ? Double.NaN : unet / count,
                count == 0 ? Double.NaN : features / count);
    }

    /** The pixel ROC is for the eye only: a regular subsample of pixels keeps it cheap (the metrics use every pixel). */
    private static RocCurve pixelRoc(List<float[]> maps, List<float[]> masks) {
        long total = (long) maps.size() * maps.get(0).length;
        int stride = (int) Math.max(1, total / MAX_PIXEL_ROC_SAMPLES);
        int count = (int) ((total + stride - 1) / stride);
        double[] scores = new double[count];
        boolean[] labels = new boolean[count];
        int per = maps.get(0).length;
        int k = 0;
        for (long p = 0; p < total && k < count; p += stride, k++) {
            scores[k] = maps.get((int) (p / per))[(int) (p % per)];
            labels[k] = masks.get((int) (p / per))[(int) (p % per)] > 0.5f;
        }
        return RocCurve.of(java.util.Arrays.copyOf(scores, k), java.util.Arrays.copyOf(labels, k), ROC_POINTS);
    }
}
