package com.gladstream.glad.evaluation;

import com.gladstream.glad.metrics.MetricsReport;
import com.gladstream.glad.metrics.RocCurve;
import java.util.List;

/**
 * Everything one evaluation run produced ({@code dataset}: "test", or "validation" for held-out
 * normals with synthetic anomalies): the seven metrics, every test image's verdict, and what
 * it cost. Image paths ({@code input}, {@code reconstruction}, {@code overlay}) are relative to the
 * report's directory.
 */
public record EvaluationReport(
        String category,
        String dataset,
        String mode,
        int maxStep,
        String modelVersion,
        String featureExtractor,
        MetricsReport metrics,
        List<ImageResult> images,
        Cost cost,
        RocCurve imageRoc,
        RocCurve pixelRoc) {

    /** One test image's outcome. {@code label} is "good" or the defect type. */
    public record ImageResult(
            String path,
            String label,
            boolean anomalous,
            double score,
            boolean predictedAnomalous,
            Integer adaptiveStep,
            String input,
            String reconstruction,
            String overlay) {}

    /**
     * @param secondsPerImage wall-clock detection time per image (reconstruction and scoring)
     * @param meanAdaptiveStep mean ADS trigger step over the images that triggered; NaN when none did
     * @param triggeredFraction fraction of images on which ADS triggered (0 in fixed-step mode)
     * @param normal mean cost of the normal images (NaN without any)
     * @param anomalous mean cost of the anomalous images (NaN without any)
     */
    public record Cost(
            double secondsPerImage,
            double meanAdaptiveStep,
            double triggeredFraction,
            double unetEvaluationsPerImage,
            double featureExtractionsPerImage,
            PerImage normal,
            PerImage anomalous) {}

    /** Mean UNet evaluations and feature extractions per image of one group of images. */
    public record PerImage(double unetEvaluations, double featureExtractions) {}
}
