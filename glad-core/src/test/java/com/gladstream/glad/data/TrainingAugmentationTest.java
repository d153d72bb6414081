package com.gladstream.glad.data;

import static org.assertj.core.api.Assertions.assertThat;

import com.gladstream.glad.image.FloatImage;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TrainingAugmentationTest {

    /** A 1-channel 3×3 image whose pixel values are their row-major index / 10. */
    private static FloatImage ramp() {
        float[] d = new float[9];
        for (int i = 0; i < 9; i++) {
            d[i] = i / 10f;
        }
        return new FloatImage(1, 3, 3, d);
    }

    @Test
    void noneLeavesTheImageUnchanged() {
        FloatImage img = ramp();
        assertThat(TrainingAugmentation.NONE.apply(img, new Random(3)).data()).containsExactly(img.data());
    }

    @Test
    void flipsAndRotationsOnlyPermutePixelsAndReachAllEightPoses() {
        TrainingAugmentation all = new TrainingAugmentation(true, true, true, 0f);
        FloatImage img = ramp();
        Random rng = new Random(42);
        Set<String> poses = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            float[] out = all.apply(img, rng).data();
            float[] sorted = out.clone();
            java.util.Arrays.sort(sorted);
            assertThat(sorted).containsExactly(img.data());
            assertThat(out[4]).isEqualTo(img.data()[4]); // the centre stays put
            poses.add(java.util.Arrays.toString(out));
        }
        assertThat(poses).hasSize(8); // the dihedral group of the square
    }

    @Test
    void brightnessJitterIsBoundedAndSeeded() {
        TrainingAugmentation jitter = new TrainingAugmentation(false, false, false, 0.1f);
        FloatImage img = ramp();
        FloatImage a = jitter.apply(img, new Random(7));
        FloatImage b = jitter.apply(img, new Random(7));
        assertThat(a.data()).containsExactly(b.data());
        float offset = a.get(0, 1, 1) - img.get(0, 1, 1);
        assertThat(offset).isBetween(-0.1f, 0.1f).isNotZero();
    }
}
