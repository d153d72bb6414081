package com.gladstream.glad.model;

/**
 * The per-category decision settings, calibrated on held-out normal images (never on test images)
 * and stored with the model.
 *
 * @param threshold image-score threshold above which an image is anomalous
 * @param adsDelta ADS trigger threshold δ on the step score s_t
 * @param adsMinStep t_min: below it an untriggered image keeps the input-anchored estimate
 * @param maxStep T: the step reconstruction starts from
 * @param inferenceSteps S: DDIM steps from T
 * @param featureExtractor {@link com.gladstream.glad.features.FeatureExtractor#name()} used for the maps
 */
public record Calibration(double threshold, double adsDelta, int adsMinStep, int maxStep, int inferenceSteps,
        String featureExtractor) {}
