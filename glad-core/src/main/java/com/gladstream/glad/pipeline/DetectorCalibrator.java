package com.gladstream.glad.pipeline;

import ai.djl.ndarray.NDManager;
import com.gladstream.glad.features.FeatureExtractor;
import com.gladstream.glad.image.FloatImage;
import com.gladstream.glad.model.Calibration;
import com.gladstream.glad.reconstruction.AdaptiveReconstructor;
import com.gladstream.glad.reconstruction.AdsCalibrator;
import com.gladstream.glad.reconstruction.AdsSettings;
import com.gladstream.glad.reconstruction.ReconstructionResult;
import com.gladstream.glad.reconstruction.StepThresholds;
import com.gladstream.glad.scoring.AnomalyScorer;
import com.gladstream.glad.scoring.ThresholdRule;
import java.util.ArrayList;
import java.util.List;

/**
 * Calibrates a detector on held-out NORMAL images, never on test images: first ADS's δ_t and t_min
 * ({@link AdsCalibrator}), then the decision threshold ({@link ThresholdRule}) on the scores the
 * detector, with those ADS settings and in the requested mode, gives the same images. The threshold
 * belongs to that mode: fixed-step scores are on another scale than GLAD's.
 */
public record DetectorCalibrator(AdsCalibrator ads, ThresholdRule threshold) {

    public static final DetectorCalibrator DEFAULT = new DetectorCalibrator(AdsCalibrator.DEFAULT, ThresholdRule.DEFAULT);

    /**
     * @param settings the detector to calibrate; its δ_t, t_min and threshold are replaced
     * @param normals held-out normal images (not used for training, not test images)
     * @param seeds one noise seed per image
     */
    public Calibration calibrate(DenoisingModel model, FeatureExtractor features, DetectorSettings settings,
            List<FloatImage> normals, List<Long> seeds) {
        AdsCalibrator.Calibrated calibratedAds;
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            // Without the old thresholds: they may belong to another T or S, and are replaced anyway.
            AdaptiveReconstructor reconstructor = new AdaptiveReconstructor(model.network(), model.schedule(),
                    settings.maxStep(), settings.inferenceSteps(), new AnomalyScorer(features, settings.scoring()),
                    settings.ads().observing(0));
            calibratedAds = ads.calibrate(reconstructor, model.toModelSpace(manager, normals),
                    seeds.stream().mapToLong(Long::longValue).toArray(), settings.batchSize());
        }
        AdsSettings adsSettings = calibratedAds.settings();
        DetectorSettings calibrated = settings.withAds(adsSettings).withThreshold(Double.NaN);
        List<ReconstructionResult> known = settings.mode() == ReconstructionMode.GLAD ? calibratedAds.ownSeedRuns() : List.of();
        double[] scores = heldOutDetections(model, AnomalyDetector.create(model, features, calibrated), normals, seeds, known)
                .stream()
                .mapToDouble(Detection::score)
                .toArray();
        StepThresholds deltas = adsSettings.deltas();
        return new Calibration(threshold.threshold(scores), deltas.median(), deltas.byStep(), adsSettings.minStep(),
                settings.maxStep(), settings.inferenceSteps(), features.name(), adsSettings.compareEvery(),
                adsSettings.earlyExit(), adsSettings.probeSteps(), adsSettings.probeSpread());
    }

    /**
     * What {@code detector} gives the held-out images, batch by batch as {@link AnomalyDetector#detect}
     * forms them. A batch none of whose images triggers is the second calibration pass over again
     * ({@code known}: its runs, or empty), so only its maps are made; the others are detected afresh.
     * This saves a third of a GLAD calibration's reconstructions and changes no score.
     */
    private static List<Detection> heldOutDetections(DenoisingModel model, AnomalyDetector detector, List<FloatImage> normals,
            List<Long> seeds, List<ReconstructionResult> known) {
        StepThresholds deltas = detector.settings().ads().deltas();
        int batchSize = detector.settings().batchSize();
        List<Detection> detections = new ArrayList<>(normals.size());
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            for (int from = 0; from < normals.size(); from += batchSize) {
                int to = Math.min(normals.size(), from + batchSize);
                List<FloatImage> images = normals.subList(from, to);
                List<ReconstructionResult> runs = known.isEmpty() ? List.of() : known.subList(from, to);
                if (runs.isEmpty() || runs.stream().anyMatch(r -> deltas.firstTrigger(r.stepScores()) >= 0)) {
                    detections.addAll(detector.detect(images, seeds.subList(from, to)));
                    continue;
                }
                try (NDManager batch = manager.newSubManager()) {
                    detections.addAll(detector.judge(batch, model.toModelSpace(batch, images), images, runs,
                            new double[images.size()]));
                }
            }
        }
        return detections;
    }
}
