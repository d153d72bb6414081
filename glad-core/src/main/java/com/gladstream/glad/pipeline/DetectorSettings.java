package com.gladstream.glad.pipeline;

import com.gladstream.glad.model.Calibration;
import com.gladstream.glad.reconstruction.AdsSettings;
import com.gladstream.glad.reconstruction.StepThresholds;
import com.gladstream.glad.scoring.AnomalyScorer;

/**
 * Everything about detection that is not the model or the feature extractor.
 *
 * @param mode GLAD or the fixed-step baseline
 * @param maxStep T, the step inputs are noised to
 * @param inferenceSteps S, DDIM steps from T
 * @param ads δ_t, t_min and the other ADS/SAFF settings (unused in FIXED mode)
 * @param scoring the anomaly map and image score settings
 * @param batchSize images per network call
 * @param threshold image-score threshold for the decision; NaN before calibration (nothing is anomalous)
 */
public record DetectorSettings(ReconstructionMode mode, int maxStep, int inferenceSteps, AdsSettings ads,
        AnomalyScorer.Settings scoring, int batchSize, double threshold) {

    public static final int DEFAULT_BATCH_SIZE = 8;

    public DetectorSettings {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
    }

    /**
     * The settings stored with a model (T, S, δ_t, t_min, comparison interval, early exit, probe,
     * threshold), with the default batch size and the default scoring: the stored calibration does not
     * record scoring settings, so models are calibrated with the defaults.
     */
    public static DetectorSettings fromCalibration(Calibration calibration, ReconstructionMode mode) {
        AdsSettings ads = AdsSettings.of(adsThresholds(calibration), calibration.adsMinStep())
                .withCost(calibration.compareEveryStep(), calibration.exitsEarly(), calibration.probeStepCount(),
                        calibration.probeSpreads());
        return new DetectorSettings(mode, calibration.maxStep(), calibration.inferenceSteps(), ads,
                AnomalyScorer.Settings.DEFAULTS, DEFAULT_BATCH_SIZE, calibration.threshold());
    }

    /** These settings with a calibration's δ_t, t_min and threshold; the other ADS settings stay. */
    public DetectorSettings withCalibration(Calibration calibration) {
        return withAds(ads.withThresholds(adsThresholds(calibration), calibration.adsMinStep()))
                .withThreshold(calibration.threshold());
    }

    private static StepThresholds adsThresholds(Calibration calibration) {
        // A model calibrated before per-step thresholds has one δ for every step.
        return calibration.adsDeltaPerStep() == null
                ? StepThresholds.uniform(calibration.adsDelta())
                : StepThresholds.perStep(calibration.adsDeltaPerStep());
    }

    public DetectorSettings withAds(AdsSettings newAds) {
        return new DetectorSettings(mode, maxStep, inferenceSteps, newAds, scoring, batchSize, threshold);
    }

    public DetectorSettings withThreshold(double newThreshold) {
        return new DetectorSettings(mode, maxStep, inferenceSteps, ads, scoring, batchSize, newThreshold);
    }
}
