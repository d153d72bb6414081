package com.gladstream.glad.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class GaussianSmoothingTest {

    @Test
    void preservesTheMean() {
        AnomalyMap map = randomMap(37, 23, 1);
        AnomalyMap smoothed = new GaussianSmoothing(3.0).apply(map);
        assertThat(mean(smoothed)).isCloseTo(mean(map), within(1e-5));
        assertThat(variance(smoothed)).isLessThan(variance(map) / 4);
    }

    @Test
    void matchesADirectTwoDimensionalConvolution() {
        AnomalyMap map = randomMap(19, 26, 2);
        GaussianSmoothing smoothing = new GaussianSmoothing(2.5);
        AnomalyMap smoothed = smoothing.apply(map);
        double sigma = smoothing.sigma();
        int r = (int) Math.round(4 * sigma);
        double norm = 0;
        for (int dy = -r; dy <= r; dy++) {
            for (int dx = -r; dx <= r; dx++) {
                norm += Math.exp(-(dx * dx + dy * dy) / (2 * sigma * sigma));
            }
        }
        for (int y = 0; y < map.height(); y++) {
            for (int x = 0; x < map.width(); x++) {
                double sum = 0;
                for (int dy = -r; dy <= r; dy++) {
                    for (int dx = -r; dx <= r; dx++) {
                        double weight = Math.exp(-(dx * dx + dy * dy) / (2 * sigma * sigma)) / norm;
                        sum += weight * map.get(reflect(y + dy, map.height()), reflect(x + dx, map.width()));
                    }
                }
                assertThat((double) smoothed.get(y, x)).isCloseTo(sum, within(1e-5));
            }
        }
    }

    @Test
    void sigmaScalesWithResolution() {
        assertThat(GaussianSmoothing.forResolution(4, 256, 256).sigma()).isEqualTo(4.0);
        assertThat(GaussianSmoothing.forResolution(4, 128, 160).sigma()).isEqualTo(2.0);
        assertThat(GaussianSmoothing.forResolution(4, 512, 512).kernel()).hasSize(2 * 32 + 1);
    }

    @Test
    void zeroSigmaLeavesTheMapAlone() {
        AnomalyMap map = randomMap(5, 7, 3);
        assertThat(new GaussianSmoothing(0).apply(map).values()).containsExactly(map.values());
    }

    /** Mirror with the edge pixel repeated: -1 → 0, -2 → 1, n → n-1. */
    private static int reflect(int i, int n) {
        while (i < 0 || i >= n) {
            i = i < 0 ? -i - 1 : 2 * n - i - 1;
        }
        return i;
    }

    private static AnomalyMap randomMap(int h, int w, long seed) {
        Random random = new Random(seed);
        float[] v = new float[h * w];
        for (int i = 0; i < v.length; i++) {
            v[i] = random.nextFloat();
        }
        return new AnomalyMap(h, w, v);
    }

    private static double mean(AnomalyMap map) {
        double s = 0;
        for (float v : map.values()) {
            s += v;
        }
        return s / map.values().length;
    }

    private static double variance(AnomalyMap map) {
        double m = mean(map);
        double s = 0;
        for (float v : map.values()) {
            s += (v - m) * (v - m);
        }
        return s / map.values().length;
    }
}
