package com.gladstream.glad.pipeline;

import com.gladstream.glad.scoring.HeatmapRenderer;
import com.gladstream.glad.scoring.Region;
import com.gladstream.glad.scoring.RegionExtractor;
import java.util.List;

/**
 * What a person or a downstream system is told about one detection: score, decision, threshold,
 * adaptive step and the anomalous regions (boxes in input pixels). The one conversion shared by
 * {@code glad detect} and the streaming worker, so both report the same regions for the same map.
 *
 * @param regions 8-connected regions of the map above the decision threshold, strongest first
 */
public record DetectionReport(double score, boolean anomalous, double threshold, Integer adaptiveStep,
        List<Region> regions) {

    /** Overlay colours span 0 to twice the threshold, so the threshold is always mid-scale. */
    private static final double HEATMAP_RANGE = 2.0;
    private static final double HEATMAP_OPACITY = 0.45;

    public DetectionReport {
        regions = List.copyOf(regions);
    }

    public static DetectionReport of(Detection detection) {
        return new DetectionReport(detection.score(), detection.anomalous(), detection.threshold(),
                detection.adaptiveStep(), RegionExtractor.extract(detection.map(), detection.threshold()));
    }

    /**
     * The renderer for heatmaps of detections made with {@code threshold}: fixed per model, never
     * normalised per image, so one colour means one score across a whole stream.
     */
    public static HeatmapRenderer heatmapRenderer(double threshold) {
        double high = Double.isFinite(threshold) && threshold > 0 ? HEATMAP_RANGE * threshold : 1.0;
        return new HeatmapRenderer(0.0, high, HEATMAP_OPACITY);
    }
}
