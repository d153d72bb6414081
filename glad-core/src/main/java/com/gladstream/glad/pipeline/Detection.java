package com.gladstream.glad.pipeline;

import com.gladstream.glad.image.FloatImage;
import com.gladstream.glad.scoring.AnomalyMap;

/**
 * The verdict on one image.
 *
 * @param score image score: top-k mean of the anomaly map at model resolution
 * @param anomalous score > threshold (false while the threshold is NaN, i.e. uncalibrated)
 * @param threshold the threshold the decision used
 * @param map the anomaly map at the input image's resolution
 * @param reconstruction x̂_0 at model resolution
 * @param adaptiveStep the ADS trigger step, or null (never triggered, or fixed-step mode)
 * @param unetEvaluations noise-predictor passes for this image
 * @param featureExtractions images sent through the feature extractor for it (ADS comparisons and the final map)
 * @param seconds this image's share of its micro-batch's wall time
 */
public record Detection(double score, boolean anomalous, double threshold, AnomalyMap map, FloatImage reconstruction,
        Integer adaptiveStep, int unetEvaluations, int featureExtractions, double seconds) {}
