package com.gladstream.glad.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ThresholdRuleTest {

    private static final double[] SCORES = {3, 1, 2, 5, 4};

    @Test
    void quantilesInterpolateBetweenOrderStatistics() {
        assertThat(Quantiles.of(SCORES, 0.5)).isEqualTo(3);
        assertThat(Quantiles.of(SCORES, 1.0)).isEqualTo(5);
        assertThat(Quantiles.of(SCORES, 0.0)).isEqualTo(1);
        // Position 0.9·4 = 3.6: 60% of the way from the 4th to the 5th smallest.
        assertThat(Quantiles.of(SCORES, 0.9)).isCloseTo(4.6, within(1e-12));
    }

    @Test
    void normalQuantilesMatchTheTable() {
        // Standard normal table values, in the central region and both tails.
        assertThat(Quantiles.standardNormal(0.5)).isCloseTo(0, within(1e-9));
        assertThat(Quantiles.standardNormal(0.975)).isCloseTo(1.959964, within(1e-6));
        assertThat(Quantiles.standardNormal(0.01)).isCloseTo(-2.326348, within(1e-6));
        assertThat(Quantiles.standardNormal(0.999)).isCloseTo(3.090232, within(1e-6));
        assertThatThrownBy(() -> Quantiles.standardNormal(1.0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void thresholdIsTheQuantilePlusAMarginInStandardDeviations() {
        // Population variance of 1..5 is 2.
        assertThat(new ThresholdRule(1.0, 0).threshold(SCORES)).isEqualTo(5);
        assertThat(new ThresholdRule(1.0, 1.0).threshold(SCORES)).isCloseTo(5 + Math.sqrt(2), within(1e-12));
        assertThat(new ThresholdRule(0.5, 0.5).threshold(SCORES)).isCloseTo(3 + 0.5 * Math.sqrt(2), within(1e-12));
        double defaultThreshold = ThresholdRule.DEFAULT.threshold(SCORES);
        assertThat(defaultThreshold).isGreaterThan(Quantiles.of(SCORES, 0.99));
    }

    @Test
    void needsScores() {
        assertThatThrownBy(() -> ThresholdRule.DEFAULT.threshold(new double[0])).hasMessageContaining("held-out");
    }
}
