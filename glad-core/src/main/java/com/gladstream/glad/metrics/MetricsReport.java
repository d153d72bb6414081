package com.gladstream.glad.metrics;

import java.util.List;

/**
 * The seven evaluation figures of a category (docs/DESIGN.md A.5), each a fraction in [0,1].
 *
 * <p>Every input is used as given: scores are never normalised on the test set.
 */
public record MetricsReport(
        double imageAuroc,
        double imageAp,
        double imageF1Max,
        double pixelAuroc,
        double pixelAp,
        double pixelF1Max,
        double aupro) {

    /**
     * @param imageScores one score per test image, higher = more anomalous
     * @param imageLabels true for anomalous test images
     * @param anomalyMaps one H×W map per test image, in the same order
     * @param masks one H×W ground-truth mask per test image ({0,1}; all zero for good images)
     * @throws IllegalArgumentException on empty input, mismatched sizes, NaN scores, or a test
     *     set without both normal and anomalous images (or pixels)
     */
    public static MetricsReport compute(double[] imageScores, boolean[] imageLabels,
            List<float[]> anomalyMaps, List<float[]> masks, int height, int width) {
        if (imageScores.length != anomalyMaps.size()) {
            throw new IllegalArgumentException("got " + imageScores.length + " image scores but "
                    + anomalyMaps.size() + " anomaly maps");
        }
        RankingMetrics image = RankingMetrics.of(imageScores, imageLabels);
        PixelMetrics pixel = PixelMetrics.of(anomalyMaps, masks, height, width);
        return new MetricsReport(image.auroc(), image.averagePrecision(), image.f1Max(),
                pixel.auroc(), pixel.averagePrecision(), pixel.f1Max(), pixel.aupro());
    }
}
