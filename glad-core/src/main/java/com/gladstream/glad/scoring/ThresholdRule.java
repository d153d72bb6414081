package com.gladstream.glad.scoring;

import java.util.Arrays;

/**
 * The decision threshold from held-out NORMAL images' scores (docs/DESIGN.md A.5: never from test images):
 * {@code threshold = Q_quantile(scores) + marginStd · σ(scores)}, with Q the linearly interpolated
 * quantile (numpy's default) and σ the population standard deviation.
 *
 * <p>The default, the 99th percentile plus half a standard deviation, sits just above the held-out
 * normal images (with a dozen of them Q_0.99 is nearly their maximum): the margin absorbs the
 * spread a small held-out set underestimates, and is in units of that spread so it does not
 * depend on the scorer's scale.
 *
 * @param quantile in [0, 1]
 * @param marginStd standard deviations added to the quantile
 */
public record ThresholdRule(double quantile, double marginStd) {

    public static final ThresholdRule DEFAULT = new ThresholdRule(0.99, 0.5);

    public ThresholdRule {
        if (!(quantile >= 0 && quantile <= 1) || !Double.isFinite(marginStd)) {
            throw new IllegalArgumentException("invalid threshold rule: quantile " + quantile + ", margin " + marginStd);
        }
    }

    public double threshold(double[] normalScores) {
        if (normalScores.length == 0) {
            throw new IllegalArgumentException("no held-out normal scores to calibrate on");
        }
        double mean = Arrays.stream(normalScores).average().orElseThrow();
        double variance = Arrays.stream(normalScores).map(s -> (s - mean) * (s - mean)).average().orElseThrow();
        return Quantiles.of(normalScores, quantile) + marginStd * Math.sqrt(variance);
    }
}
