package com.gladstream.glad.data.synthetic;

import com.gladstream.glad.image.FloatImage;
import com.gladstream.glad.image.PerlinNoise;
import java.util.Arrays;
import java.util.Random;

/** Draws the normal images of a synthetic category, one kind per method. */
final class SceneRenderer {

    private SceneRenderer() {}

    static Scene render(SyntheticCategoryOptions.Kind kind, int size, Random rng) {
        return switch (kind) {
            case TEXTURE -> wood(size, rng);
            case OBJECT -> hexNut(size, rng);
        };
    }

    /**
     * Wood: bands along a slightly tilted grain, warped by low-frequency Perlin noise, with fine
     * streaks along the grain and pixel noise. Each image draws its own phase, warp and tone.
     */
    private static Scene wood(int size, Random rng) {
        double angle = Math.toRadians(rng.nextGaussian() * 2);
        double bands = 6 + rng.nextDouble();
        double phase = rng.nextDouble();
        float tone = (float) (rng.nextGaussian() * 0.02);
        float[] light = {0.78f + tone, 0.61f + tone, 0.42f + tone};
        float[] dark = {0.56f + tone, 0.38f + tone, 0.22f + tone};
        PerlinNoise warpCoarse = new PerlinNoise(2, 2, rng);
        PerlinNoise warpFine = new PerlinNoise(4, 4, rng);
        PerlinNoise streaks = new PerlinNoise(64, 6, rng);
        float[] warp1 = warpCoarse.render(size, size, 0);
        float[] warp2 = warpFine.render(size, size, 0);
        float[] streak = streaks.render(size, size, angle);

        FloatImage image = FloatImage.zeros(3, size, size);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int p = y * size + x;
                double across = (x * Math.cos(angle) - y * Math.sin(angle)) / size;
                double ring = 0.5 + 0.5 * Math.sin(2 * Math.PI * (across * bands + 0.9 * warp1[p] + 0.3 * warp2[p] + phase));
                float v = (float) Math.pow(ring, 0.7);
                float noise = 0.05f * streak[p] + (float) rng.nextGaussian() * 0.01f;
                for (int c = 0; c < 3; c++) {
                    image.set(c, y, x, clamp(dark[c] + (light[c] - dark[c]) * v + noise));
                }
            }
        }
        FloatImage board = flat(size, new float[] {0.2f, 0.18f, 0.17f}, 0f, rng);
        float[] all = new float[size * size];
        Arrays.fill(all, 1f);
        return new Scene(image, board, all);
    }

    /**
     * A hexagonal nut with a round hole, lit from the upper left, on a light background; its
     * centre, size, rotation and colour vary a little from image to image.
     */
    private static Scene hexNut(int size, Random rng) {
        FloatImage background = flat(size, new float[] {0.86f, 0.86f, 0.83f}, 0.008f, rng);
        double cy = size / 2.0 + (rng.nextDouble() - 0.5) * 0.06 * size;
        double cx = size / 2.0 + (rng.nextDouble() - 0.5) * 0.06 * size;
        double radius = size * 0.3 * (1 + (rng.nextDouble() - 0.5) * 0.06);
        double hole = radius * 0.42;
        double rotation = rng.nextDouble() * Math.PI / 3;
        float tint = (float) (rng.nextGaussian() * 0.02);
        float[] metal = {0.52f + tint, 0.54f + tint, 0.58f + tint};
        double apothem = radius * Math.cos(Math.PI / 6);

        FloatImage image = background.copy();
        float[] material = new float[size * size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double dy = y - cy;
                double dx = x - cx;
                double r = Math.hypot(dx, dy);
                if (r < hole || !insideHexagon(dx, dy, rotation, apothem)) {
                    continue;
                }
                material[y * size + x] = 1f;
                double light = 0.9 + 0.2 * (-dx - dy) / (radius * Math.sqrt(2));
                double chamfer = r < hole * 1.25 ? 0.12 : 0; // the bright bevel around the hole
                float noise = (float) rng.nextGaussian() * 0.01f;
                for (int c = 0; c < 3; c++) {
                    image.set(c, y, x, clamp((float) (metal[c] * light + chamfer) + noise));
                }
            }
        }
        return new Scene(image, background, material);
    }

    private static boolean insideHexagon(double dx, double dy, double rotation, double apothem) {
        for (int k = 0; k < 3; k++) {
            double a = rotation + k * Math.PI / 3;
            if (Math.abs(dx * Math.cos(a) + dy * Math.sin(a)) > apothem) {
                return false;
            }
        }
        return true;
    }

    private static FloatImage flat(int size, float[] colour, float noise, Random rng) {
        FloatImage image = FloatImage.zeros(3, size, size);
        for (int y = 0; y < size; y++) {
            float shade = 0.03f * ((float) y / size - 0.5f); // a faint vertical light falloff
            for (int x = 0; x < size; x++) {
                float n = noise > 0 ? (float) rng.nextGaussian() * noise : 0f;
                for (int c = 0; c < 3; c++) {
                    image.set(c, y, x, clamp(colour[c] - shade + n));
                }
            }
        }
        return image;
    }

    static float clamp(float v) {
        return Math.max(0f, Math.min(1f, v));
    }
}
