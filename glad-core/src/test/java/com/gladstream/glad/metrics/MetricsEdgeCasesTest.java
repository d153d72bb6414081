package com.gladstream.glad.metrics;

import static com.gladstream.glad.metrics.MetricsGoldenTest.labels;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class MetricsEdgeCasesTest {

    @Test
    void singleClassInputIsRejected() {
        assertThatThrownBy(() -> RankingMetrics.of(new double[] {0.1, 0.2}, labels(0, 0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("both normal and anomalous");
        assertThatThrownBy(() -> PixelMetrics.of(List.of(new float[4]), List.of(new float[4]), 2, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("both normal and anomalous");
    }

    @Test
    void emptyAndMismatchedInputIsRejected() {
        assertThatThrownBy(() -> RankingMetrics.of(new double[0], new boolean[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no scores");
        assertThatThrownBy(() -> PixelMetrics.of(List.of(), List.of(), 2, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no anomaly maps");
        assertThatThrownBy(() -> PixelMetrics.of(List.of(new float[3]), List.of(new float[4]), 2, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("anomaly map 0 has 3 values");
        assertThatThrownBy(() -> RankingMetrics.of(new double[] {0.1, Double.NaN}, labels(0, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
    }

    @Test
    void perfectMapsScoreOneAndInvertedMapsScoreZeroAuroc() {
        float[] mask = {0, 1, 1, 0, 0, 0, 0, 0, 1};
        float[] perfect = mask.clone();
        float[] inverted = new float[mask.length];
        for (int i = 0; i < mask.length; i++) {
            inverted[i] = 1 - mask[i];
        }
        PixelMetrics best = PixelMetrics.of(List.of(perfect), List.of(mask), 3, 3);
        assertThat(best.auroc()).isEqualTo(1.0);
        assertThat(best.averagePrecision()).isEqualTo(1.0);
        assertThat(best.f1Max()).isEqualTo(1.0);
        assertThat(best.aupro()).isCloseTo(1.0, within(1e-12));

        PixelMetrics worst = PixelMetrics.of(List.of(inverted), List.of(mask), 3, 3);
        assertThat(worst.auroc()).isEqualTo(0.0);
        assertThat(worst.aupro()).isEqualTo(0.0);
    }

    @Test
    void auproWeighsRegionsEquallyWhateverTheirSize() {
        // A 1-pixel region found and a 4-pixel region missed: PRO 0.5 from FPR 0, although only
        // 1/5 of the anomalous pixels are found.
        float[] mask = {1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1};
        float[] map = {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        // Ties at 0: FPR jumps from 0 to 1 while PRO goes 0.5 → 1, so at FPR 0.3 PRO is 0.65.
        double expected = (0.5 + 0.65) / 2;
        assertThat(PixelMetrics.of(List.of(map), List.of(mask), 2, 6).aupro()).isCloseTo(expected, within(1e-12));
    }

    @Test
    void reportCombinesImageAndPixelMetrics() {
        float[] good = new float[4];
        float[] bad = {0, 1, 0, 0};
        MetricsReport r = MetricsReport.compute(new double[] {0.2, 0.9}, labels(0, 1),
                List.of(new float[] {0.1f, 0.1f, 0.1f, 0.1f}, new float[] {0.1f, 0.8f, 0.1f, 0.1f}),
                List.of(good, bad), 2, 2);
        assertThat(r.imageAuroc()).isEqualTo(1.0);
        assertThat(r.pixelAuroc()).isEqualTo(1.0);
        assertThat(r.aupro()).isCloseTo(1.0, within(1e-12));
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void handlesAHundredFullSizeMaps() {
        int size = 256;
        Random rng = new Random(1);
        List<float[]> maps = new ArrayList<>();
        List<float[]> masks = new ArrayList<>();
        for (int k = 0; k < 100; k++) {
            float[] mask = new float[size * size];
            float[] map = new float[size * size];
            boolean defective = k % 2 == 0;
            for (int p = 0; p < map.length; p++) {
                int y = p / size;
                int x = p % size;
                boolean inDefect = defective && Math.abs(y - 128) < 20 && Math.abs(x - 40 - k) < 20;
                mask[p] = inDefect ? 1 : 0;
                map[p] = rng.nextFloat() + (inDefect ? 0.5f : 0f);
            }
            masks.add(mask);
            maps.add(map);
        }
        PixelMetrics m = PixelMetrics.of(maps, masks, size, size);
        // Uniform noise shifted by 0.5 inside defects: AUROC = 1 - 0.5²/2 = 0.875 in expectation.
        assertThat(m.auroc()).isCloseTo(0.875, within(0.005));
        assertThat(m.aupro()).isBetween(0.0, 1.0);
    }
}
