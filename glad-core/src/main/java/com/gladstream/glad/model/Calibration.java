package com.gladstream.glad.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Collections;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;

/**
 * The per-category decision settings, calibrated on held-out normal images (never on test images)
 * and stored with the model.
 *
 * @param threshold image-score threshold above which an image is anomalous
 * @param adsDelta the ADS trigger threshold for display: the median of {@code adsDeltaPerStep}; for
 *     models calibrated before per-step thresholds, the δ of every step
 * @param adsDeltaPerStep ADS trigger threshold δ_t on the step score s_t by compared DDIM timestep
 *     (highest first), or null for a model calibrated before per-step thresholds
 * @param adsMinStep t_min: below it an untriggered image keeps the input-anchored estimate
 * @param maxStep T: the step reconstruction starts from
 * @param inferenceSteps S: DDIM steps from T
 * @param featureExtractor {@link com.gladstream.glad.features.FeatureExtractor#name()} used for the maps
 * @param adsCompareEvery ADS compares at every k-th step; null (models calibrated before it): 1
 * @param adsEarlyExit whether an untriggered image stops at t_min; null (models calibrated before it): no
 * @param adsProbeSteps the probe's steps, 0 for none; null (models calibrated before it): 0
 * @param adsProbeSpread whether the probe's steps are spread over the schedule (else its first steps); null: no
 */
public record Calibration(double threshold, double adsDelta, Map<Integer, Double> adsDeltaPerStep, int adsMinStep,
        int maxStep, int inferenceSteps, String featureExtractor, Integer adsCompareEvery, Boolean adsEarlyExit,
        Integer adsProbeSteps, Boolean adsProbeSpread) {

    @JsonCreator
    public Calibration {
        if (adsDeltaPerStep != null) {
            Map<Integer, Double> highestFirst = new TreeMap<>(Comparator.reverseOrder());
            highestFirst.putAll(adsDeltaPerStep);
            adsDeltaPerStep = Collections.unmodifiableMap(highestFirst);
        }
    }

    /** {@link #adsCompareEvery}, 1 when absent. */
    public int compareEveryStep() {
        return adsCompareEvery == null ? 1 : adsCompareEvery;
    }

    /** {@link #adsEarlyExit}, false when absent. */
    public boolean exitsEarly() {
        return adsEarlyExit != null && adsEarlyExit;
    }

    /** {@link #adsProbeSteps}, 0 when absent. */
    public int probeStepCount() {
        return adsProbeSteps == null ? 0 : adsProbeSteps;
    }

    /** {@link #adsProbeSpread}, false when absent. */
    public boolean probeSpreads() {
        return adsProbeSpread != null && adsProbeSpread;
    }
}
