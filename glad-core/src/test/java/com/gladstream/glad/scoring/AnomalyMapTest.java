package com.gladstream.glad.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AnomalyMapTest {

    @Test
    void topKMeanAveragesTheLargestFractionOfPixels() {
        float[] values = new float[200];
        Random random = new Random(5);
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextFloat();
        }
        AnomalyMap map = new AnomalyMap(10, 20, values);
        float[] sorted = values.clone();
        Arrays.sort(sorted);
        double expected = (sorted[199] + sorted[198] + sorted[197] + sorted[196]) / 4.0;
        assertThat(map.topKMean(0.02)).isCloseTo(expected, within(1e-6));
        assertThat(map.topKMean(1e-6)).isCloseTo(sorted[199], within(1e-6));
        assertThatThrownBy(() -> map.topKMean(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void resizeKeepsAConstantMapConstant() {
        float[] values = new float[12];
        Arrays.fill(values, 0.7f);
        AnomalyMap resized = new AnomalyMap(3, 4, values).resize(9, 16);
        assertThat(resized.height()).isEqualTo(9);
        assertThat(resized.width()).isEqualTo(16);
        for (float v : resized.values()) {
            assertThat(v).isCloseTo(0.7f, within(1e-6f));
        }
    }

    @Test
    void maskZeroesTheBackground() {
        AnomalyMap map = new AnomalyMap(1, 3, new float[] {1f, 2f, 3f});
        AnomalyMap foreground = new AnomalyMap(1, 3, new float[] {1f, 0f, 1f});
        assertThat(map.masked(foreground).values()).containsExactly(1f, 0f, 3f);
    }
}
