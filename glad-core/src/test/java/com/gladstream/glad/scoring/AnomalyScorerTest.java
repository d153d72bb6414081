package com.gladstream.glad.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import com.gladstream.glad.NDManagerExtension;
import com.gladstream.glad.features.PixelPatchFeatures;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AnomalyScorerTest {

    private static final int SIZE = 32;

    @RegisterExtension
    final NDManagerExtension manager = NDManagerExtension.pytorch();

    @Test
    void contentShiftedByWholePatchesIsNormalAndANewPatchIsNot() {
        AnomalyScorer scorer = new AnomalyScorer(new PixelPatchFeatures(4, 8), new AnomalyScorer.Settings(0, 4, 0.01));
        float[] reference = random(SIZE * SIZE, 1);
        float[] shifted = new float[reference.length];
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                shifted[y * SIZE + x] = reference[y * SIZE + (x + 8) % SIZE];
            }
        }
        float[] novel = reference.clone();
        for (int y = 8; y < 16; y++) {
            for (int x = 16; x < 24; x++) {
                novel[y * SIZE + x] = 0.9f - 0.1f * ((x + y) % 3);
            }
        }
        List<AnomalyMap> maps = scorer.maps(images(reference, shifted, novel), images(reference, reference, reference));
        assertThat(scorer.score(maps.get(0))).isCloseTo(0, within(1e-5));
        assertThat(scorer.score(maps.get(1))).isCloseTo(0, within(1e-5));
        assertThat(scorer.score(maps.get(2))).isGreaterThan(0.05);
        assertThat(maps.get(2).get(12, 20)).isGreaterThan(maps.get(2).get(28, 4) + 0.05f);
    }

    @Test
    void thePixelTermAddsItsWeightTimesTheSmoothedL1Difference() {
        float[] a = random(SIZE * SIZE, 2);
        float[] b = random(SIZE * SIZE, 3);
        PixelPatchFeatures features = new PixelPatchFeatures(4);
        List<AnomalyMap> withoutPixels = new AnomalyScorer(features, new AnomalyScorer.Settings(0, 8, 0.01))
                .maps(images(a), images(b));
        List<AnomalyMap> withPixels = new AnomalyScorer(features, new AnomalyScorer.Settings(0.5, 8, 0.01))
                .maps(images(a), images(b));
        float[] l1 = new float[a.length];
        for (int i = 0; i < l1.length; i++) {
            l1[i] = Math.abs(a[i] - b[i]) / 2;
        }
        AnomalyMap smoothedL1 = GaussianSmoothing.forResolution(8, SIZE, SIZE).apply(new AnomalyMap(SIZE, SIZE, l1));
        for (int i = 0; i < l1.length; i++) {
            assertThat(withPixels.get(0).values()[i] - withoutPixels.get(0).values()[i])
                    .isCloseTo(0.5f * smoothedL1.values()[i], within(1e-5f));
        }
    }

    private NDArray images(float[]... modelSpace) {
        float[] all = new float[modelSpace.length * SIZE * SIZE];
        for (int i = 0; i < modelSpace.length; i++) {
            System.arraycopy(modelSpace[i], 0, all, i * SIZE * SIZE, SIZE * SIZE);
        }
        return manager.get().create(all, new Shape(modelSpace.length, 1, SIZE, SIZE));
    }

    private static float[] random(int size, long seed) {
        Random random = new Random(seed);
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            v[i] = random.nextFloat() * 2 - 1;
        }
        return v;
    }
}
