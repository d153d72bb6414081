package com.gladstream.glad.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Metrics against values computed independently with scikit-learn and SciPy by
 * glad-core/src/test/golden/metrics_golden.py (inputs and outputs pasted from its output).
 */
class MetricsGoldenTest {

    private static final double TOLERANCE = 1e-9;

    @Test
    void rankingWithTiesAcrossClasses() {
        assertRanking(new double[] {0.1, 0.4, 0.35, 0.8, 0.4, 0.4, 0.2, 0.9, 0.35, 0.05},
                labels(0, 1, 0, 1, 0, 1, 0, 1, 1, 0),
                0.9, 0.8628571428571428, 0.8333333333333333);
    }

    @Test
    void rankingWithEveryScoreTied() {
        assertRanking(new double[] {0.5, 0.5, 0.5, 0.5, 0.5, 0.5}, labels(0, 1, 0, 1, 1, 0),
                0.5, 0.5, 0.6666666666666666);
    }

    @Test
    void rankingWithNegativeAndZeroScores() {
        assertRanking(new double[] {-1.5, -3.0, 2.0, -1.5, -0.0, -0.25, -2.0}, labels(1, 0, 1, 0, 0, 1, 0),
                0.7916666666666666, 0.7555555555555555, 0.7499999999999999);
    }

    @Test
    void rankingOfForty() {
        double[] scores = {-0.1, 0.1, 0.1, -0.4, 0.9, 1.4, -0.7, 0.9, 0.1, -0.6, 2.8, 1.6, -0.4, 0.1, 0.6,
            -0.2, 0.7, -0.1, 0.7, 1.4, 0.1, 1.0, -0.5, 0.9, -0.4, -0.6, -0.2, 0.9, 1.1, -1.3, -0.8, 1.4,
            -1.2, 0.3, -0.1, 2.1, 1.5, 0.5, -0.4, 0.5};
        boolean[] labels = labels(0, 0, 0, 1, 1, 0, 1, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 1, 1,
                0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 1);
        assertRanking(scores, labels, 0.6381074168797953, 0.6490439013658829, 0.6111111111111113);
    }

    @Test
    void pixelMetricsAndAuproOnMultiRegionMasks() {
        // Image 0: a region joined only through a diagonal (one region under 8-connectivity) and a
        // second region; image 1: one region; image 2: good.
        List<float[]> masks = List.of(
                floats(0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0,
                        0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 1, 1, 1),
                floats(1, 1, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
                new float[48]);
        List<float[]> maps = List.of(
                floats(0.1, 0.3, 0.4, 0.0, 0.1, 0.6, 0.0, 0.1, 0.6, 0.5, 0.2, 0.3, 0.4, 0.2, 0.1, 0.5, 0.4,
                        0.3, 0.5, 0.6, 0.6, 0.1, 0.3, 0.3, 0.2, 0.4, 0.1, 0.5, 0.5, 0.1, 0.3, 0.2, 0.0, 0.5,
                        0.3, 0.1, 0.4, 0.3, 0.9, 0.2, 0.0, 0.1, 0.2, 0.3, 0.5, 0.7, 0.5, 0.4),
                floats(0.8, 1.0, 0.1, 0.4, 0.1, 0.3, 0.5, 0.5, 0.7, 0.2, 0.2, 0.1, 0.6, 0.1, 0.1, 0.2, 0.2,
                        0.9, 0.4, 0.1, 0.3, 0.0, 0.4, 0.1, 0.0, 0.1, 0.3, 0.4, 0.2, 0.4, 0.2, 0.1, 0.2, 0.2,
                        0.5, 0.1, 0.1, 0.3, 0.6, 0.5, 0.4, 0.0, 0.5, 0.4, 0.1, 0.3, 0.0, 0.5),
                floats(0.3, 0.5, 0.4, 0.5, 0.3, 0.5, 0.1, 0.5, 0.2, 0.1, 0.4, 0.3, 0.3, 0.5, 0.1, 0.4, 0.2,
                        0.3, 0.3, 0.1, 0.3, 0.5, 0.1, 0.0, 0.0, 0.3, 0.6, 0.0, 0.6, 0.3, 0.1, 0.3, 0.1, 0.4,
                        0.3, 0.2, 0.2, 0.5, 0.5, 0.3, 0.2, 0.4, 0.6, 0.0, 0.1, 0.2, 0.3, 0.0));

        PixelMetrics m = PixelMetrics.of(maps, masks, 6, 8);

        assertThat(m.auroc()).isCloseTo(0.8012919896640827, within(TOLERANCE));
        assertThat(m.averagePrecision()).isCloseTo(0.5376663607653565, within(TOLERANCE));
        assertThat(m.f1Max()).isCloseTo(0.5714285714285715, within(TOLERANCE));
        assertThat(m.aupro()).isCloseTo(0.5909075171843069, within(TOLERANCE));
    }

    private static void assertRanking(double[] scores, boolean[] labels, double auroc, double ap, double f1Max) {
        RankingMetrics m = RankingMetrics.of(scores, labels);
        assertThat(m.auroc()).isCloseTo(auroc, within(TOLERANCE));
        assertThat(m.averagePrecision()).isCloseTo(ap, within(TOLERANCE));
        assertThat(m.f1Max()).isCloseTo(f1Max, within(TOLERANCE));
    }

    static boolean[] labels(int... values) {
        boolean[] out = new boolean[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i] == 1;
        }
        return out;
    }

    static float[] floats(double... values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }
}
