package com.gladstream.cli.demo;

import com.gladstream.glad.data.ImageLoader;
import com.gladstream.glad.image.ImageSize;
import com.gladstream.glad.metrics.PixelMetrics;
import com.gladstream.glad.metrics.RankingMetrics;
import com.gladstream.glad.scoring.AnomalyMap;
import com.gladstream.schemas.AnomalyResult;
import com.gladstream.schemas.RejectedImage;
import com.gladstream.worker.heatmaps.NpyFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a demo run showed: counts, dead letters by reason, throughput, latency and, since the
 * simulator knows the labels, the detection quality of what came back through Kafka.
 *
 * @param imagesPerSecond results per second from the first frame sent to the last verdict
 * @param latencyP50Millis from a frame's send to its verdict's arrival, median
 * @param imageAuroc over the results of labelled frames; NaN without both classes
 * @param pixelAuroc over their maps against the ground-truth masks, at {@value #PIXEL_SIZE} px; NaN without defects
 */
record DemoSummary(int images, int results, Map<String, Integer> deadLetters, int duplicates, int missing,
        double seconds, double imagesPerSecond, double latencyP50Millis, double latencyP99Millis,
        double imageAuroc, double pixelAuroc) {

    static final int PIXEL_SIZE = 128;

    static DemoSummary of(List<CameraSimulator.Frame> sent, Map<String, ResultCollector.Arrival> arrivals,
            int duplicates) {
        Map<String, Integer> deadLetters = new TreeMap<>();
        List<Double> latencies = new ArrayList<>();
        List<Double> scores = new ArrayList<>();
        List<Boolean> labels = new ArrayList<>();
        List<float[]> maps = new ArrayList<>();
        List<float[]> masks = new ArrayList<>();
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        int results = 0;
        int missing = 0;
        for (CameraSimulator.Frame frame : sent) {
            first = Math.min(first, frame.sentAtNanos());
            ResultCollector.Arrival arrival = arrivals.get(frame.event().getEventId());
            if (arrival == null) {
                missing++;
                continue;
            }
            last = Math.max(last, arrival.arrivedAtNanos());
            latencies.add((arrival.arrivedAtNanos() - frame.sentAtNanos()) / 1e6);
            RejectedImage deadLetter = arrival.deadLetter();
            if (deadLetter != null) {
                deadLetters.merge(deadLetter.getReason().name(), 1, Integer::sum);
                continue;
            }
            results++;
            AnomalyResult result = arrival.result();
            if (frame.sample() != null) {
                scores.add(result.getScore());
                labels.add(frame.sample().anomalous());
                maps.add(map(result).resize(PIXEL_SIZE, PIXEL_SIZE).values());
                masks.add(ImageLoader.loadMask(frame.sample(), ImageSize.square(PIXEL_SIZE)));
            }
        }
        double seconds = last > first ? (last - first) / 1e9 : Double.NaN;
        boolean bothClasses = labels.contains(true) && labels.contains(false);
        double imageAuroc = bothClasses ? RankingMetrics.of(toDoubles(scores), toBooleans(labels)).auroc() : Double.NaN;
        double pixelAuroc = labels.contains(true) ? PixelMetrics.of(maps, masks, PIXEL_SIZE, PIXEL_SIZE).auroc() : Double.NaN;
        return new DemoSummary(sent.size(), results, deadLetters, duplicates, missing, seconds, results / seconds,
                percentile(latencies, 0.50), percentile(latencies, 0.99), imageAuroc, pixelAuroc);
    }

    /** The fields of {@code summary.json}. */
    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("images", images);
        json.put("results", results);
        json.put("dead_letters", deadLetters);
        json.put("duplicates", duplicates);
        json.put("missing", missing);
        json.put("seconds", seconds);
        json.put("images_per_second", imagesPerSecond);
        json.put("latency_p50_ms", latencyP50Millis);
        json.put("latency_p99_ms", latencyP99Millis);
        json.put("image_auroc", imageAuroc);
        json.put("pixel_auroc", pixelAuroc);
        return json;
    }

    private static AnomalyMap map(AnomalyResult result) {
        try {
            return NpyFormat.read(Path.of(URI.create(result.getMapUri())));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the anomaly map of " + result.getEventId(), e);
        }
    }

    private static double percentile(List<Double> values, double q) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
    }

    private static double[] toDoubles(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static boolean[] toBooleans(List<Boolean> values) {
        boolean[] out = new boolean[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }
}
