package com.gladstream.glad.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PerlinNoiseTest {

    @Test
    void isZeroAtLatticePointsAndPeriodic() {
        PerlinNoise noise = new PerlinNoise(4, 8, new Random(1));
        assertThat(noise.at(2, 5)).isZero();
        assertThat(noise.at(1.3, 2.7)).isCloseTo(noise.at(1.3 + 4, 2.7 - 8), within(1e-5f));
        assertThat(noise.at(1.3, 2.7)).isNotZero();
    }

    @Test
    void isBoundedAndSmooth() {
        PerlinNoise noise = new PerlinNoise(8, 8, new Random(2));
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (int i = 0; i < 400; i++) {
            for (int j = 0; j < 400; j++) {
                float v = noise.at(i / 50.0, j / 50.0);
                min = Math.min(min, v);
                max = Math.max(max, v);
                assertThat(Math.abs(v - noise.at(i / 50.0, (j + 1) / 50.0))).isLessThan(0.05f);
            }
        }
        assertThat(min).isGreaterThanOrEqualTo(-0.72f).isLessThan(-0.3f);
        assertThat(max).isLessThanOrEqualTo(0.72f).isGreaterThan(0.3f);
    }

    @Test
    void renderIsDeterministicUnderASeedAndRotationChangesIt() {
        float[] a = new PerlinNoise(4, 2, new Random(9)).render(32, 32, 0.4);
        float[] b = new PerlinNoise(4, 2, new Random(9)).render(32, 32, 0.4);
        float[] otherSeed = new PerlinNoise(4, 2, new Random(10)).render(32, 32, 0.4);
        float[] otherAngle = new PerlinNoise(4, 2, new Random(9)).render(32, 32, -0.4);
        assertThat(a).containsExactly(b);
        assertThat(a).isNotEqualTo(otherSeed).isNotEqualTo(otherAngle);
    }
}
