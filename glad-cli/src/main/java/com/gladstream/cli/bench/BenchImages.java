package com.gladstream.cli.bench;

import com.gladstream.glad.image.FloatImage;
import com.gladstream.glad.image.PerlinNoise;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Smooth random RGB textures. Timing does not depend on image content, except through ADS triggers,
 * which the benchmark switches off; these just keep every image different and in [0,1].
 */
final class BenchImages {

    private BenchImages() {}

    static List<FloatImage> generate(int count, int size, long seed) {
        Random rng = new Random(seed);
        List<FloatImage> images = new ArrayList<>(count);
        for (int n = 0; n < count; n++) {
            FloatImage image = FloatImage.zeros(3, size, size);
            for (int c = 0; c < 3; c++) {
                float tone = 0.3f + 0.4f * rng.nextFloat();
                float[] texture = new PerlinNoise(4, 4, rng).render(size, size, 0);
                for (int p = 0; p < texture.length; p++) {
                    image.data()[c * texture.length + p] = Math.min(1f, Math.max(0f, tone + 0.3f * texture[p]));
                }
            }
            images.add(image);
        }
        return images;
    }
}
