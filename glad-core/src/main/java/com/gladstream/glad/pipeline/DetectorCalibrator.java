package com.gladstream.glad.pipeline;

import ai.djl.ndarray.NDManager;
import com.gladstream.glad.features.FeatureExtractor;
import com.gladstream.glad.image.FloatImage;
import com.gladstream.glad.model.Calibration;
import com.gladstream.glad.reconstruction.AdaptiveReconstructor;
import com.gladstream.glad.reconstruction.AdsCalibrator;
import com.gladstream.glad.reconstruction.AdsSettings;
import com.gladstream.glad.reconstruction.StepThresholds;
import com.gladstream.glad.scoring.AnomalyScorer;
import com.gladstream.glad.scoring.ThresholdRule;
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
        AdsSettings calibratedAds;
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            // Without the old thresholds: they may belong to another T or S, and are replaced anyway.
            AdaptiveReconstructor reconstructor = new AdaptiveReconstructor(model.network(), model.schedule(),
                    settings.maxStep(), settings.inferenceSteps(), new AnomalyScorer(features, settings.scoring()),
                    settings.ads().observing(0));
            calibratedAds = ads.calibrate(reconstructor, model.toModelSpace(manager, normals),
                    seeds.stream().mapToLong(Long::longValue).toArray(), settings.batchSize());
        }
        DetectorSettings calibrated = settings.withAds(calibratedAds).withThreshold(Double.NaN);
        double[] scores = AnomalyDetector.create(model, features, calibrated).detect(normals, seeds).stream()
                .mapToDouble(Detection::score)
                .toArray();
        StepThresholds deltas = calibratedAds.deltas();
        return new Calibration(threshold.threshold(scores), deltas.median(), deltas.byStep(), calibratedAds.minStep(),
                settings.maxStep(), settings.inferenceSteps(), features.name(), calibratedAds.compareEvery(),
                calibratedAds.earlyExit(), calibratedAds.probeSteps(), calibratedAds.probeSpread());
    }
}
