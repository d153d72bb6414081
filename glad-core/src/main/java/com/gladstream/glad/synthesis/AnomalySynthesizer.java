package com.gladstream.glad.synthesis;

import com.gladstream.glad.image.FloatImage;
import com.gladstream.glad.image.ImageSize;
import com.gladstream.glad.image.PerlinNoise;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

/**
 * Makes anomalous images from normal ones, MemSeg/DRAEM style (docs/DESIGN.md A.4):
 * x^a = (1−M)·x + M·((1−β)·source + β·x).
 *
 * <p>M is thresholded Perlin noise (lattice 2^e cells per axis, random rotation), optionally
 * restricted to the estimated foreground. It is never empty and never covers more than
 * {@link SynthesisConfig#maxMaskFraction()} of the image: draws outside [min, max] coverage are
 * retried with fresh parameters, and if {@value #MAX_ATTEMPTS} draws all miss, the last noise is
 * cut at the quantile that covers a tenth of the allowed area (clamped to the bounds). If the
 * estimated foreground is smaller than the minimum mask, the whole image is allowed.
 *
 * <p>The source is a texture (with probability {@link SynthesisConfig#textureProbability()}, when
 * textures are configured) or the image itself shuffled on an 8×8 grid; either gets three random
 * appearance changes. β ~ U[0, maxOpacity). Pixels outside M are exactly the normal image's.
 *
 * <p>All randomness comes from the {@link Random} passed in, so a seed fixes the result.
 */
public final class AnomalySynthesizer implements AnomalyGenerator {

    static final int MAX_ATTEMPTS = 32;
    private static final int SHUFFLE_GRID = 8;

    private final SynthesisConfig config;
    private final TextureSource textures;

    /** Self-shuffle sources only. */
    public AnomalySynthesizer(SynthesisConfig config) {
        this(config, null);
    }

    /** Texture sources mixed with self-shuffle sources; textures may be null for self-shuffle only. */
    public AnomalySynthesizer(SynthesisConfig config, TextureSource textures) {
        this.config = config;
        this.textures = textures;
    }

    /**
     * The default settings with the textures in {@code textures}, prepared for input of {@code size},
     * or self-shuffle sources only when {@code textures} is null.
     */
    public static AnomalySynthesizer withDefaults(Path textures, int channels, ImageSize size) {
        SynthesisConfig config = SynthesisConfig.defaults();
        return new AnomalySynthesizer(config, textures == null ? null : TextureSource.load(textures, channels, size));
    }

    @Override
    public AnomalyFamily family() {
        return AnomalyFamily.PERLIN;
    }

    @Override
    public SyntheticAnomaly synthesize(FloatImage normal, Random rng) {
        float[] mask = mask(normal, rng);
        boolean useTexture = textures != null && rng.nextFloat() < config.textureProbability();
        FloatImage source = useTexture
                ? textures.pick(rng, normal.channels(), normal.height(), normal.width())
                : shuffled(normal, rng);
        source = SourceAugmentation.apply(source, rng);
        float beta = rng.nextFloat() * config.maxOpacity();

        FloatImage out = normal.copy();
        int plane = normal.pixels();
        float[] x = normal.data();
        float[] s = source.data();
        float[] o = out.data();
        for (int p = 0; p < plane; p++) {
            if (mask[p] > 0) {
                for (int c = 0; c < normal.channels(); c++) {
                    int i = c * plane + p;
                    o[i] = (1 - beta) * s[i] + beta * x[i];
                }
            }
        }
        return new SyntheticAnomaly(out, mask);
    }

    /** A binary H×W mask within the coverage bounds (see the class comment). */
    float[] mask(FloatImage normal, Random rng) {
        int h = normal.height();
        int w = normal.width();
        int pixels = h * w;
        int minPixels = Math.max(1, (int) Math.ceil(config.minMaskFraction() * pixels));
        int maxPixels = Math.max(minPixels, (int) Math.floor(config.maxMaskFraction() * pixels));
        float[] allowed = allowedArea(normal, minPixels);

        float[] noise = null;
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            int span = config.maxScaleExponent() - config.minScaleExponent();
            int cellsY = 1 << (config.minScaleExponent() + rng.nextInt(span));
            int cellsX = 1 << (config.minScaleExponent() + rng.nextInt(span));
            float threshold = config.minThreshold() + rng.nextFloat() * (config.maxThreshold() - config.minThreshold());
            double angle = (rng.nextDouble() - 0.5) * Math.PI; // ±90°, as DRAEM
            noise = new PerlinNoise(cellsY, cellsX, rng).render(h, w, angle);
            float[] mask = new float[pixels];
            int covered = 0;
            for (int p = 0; p < pixels; p++) {
                if (allowed[p] > 0 && noise[p] > threshold) {
                    mask[p] = 1f;
                    covered++;
                }
            }
            if (covered >= minPixels && covered <= maxPixels) {
                return mask;
            }
        }
        return quantileMask(noise, allowed, minPixels, maxPixels);
    }

    private float[] allowedArea(FloatImage normal, int minPixels) {
        float[] all = new float[normal.pixels()];
        Arrays.fill(all, 1f);
        if (config.foreground() == SynthesisConfig.Foreground.ANYWHERE) {
            return all;
        }
        float[] foreground = ForegroundMask.fromBorderColour(normal, config.foregroundTolerance());
        int count = 0;
        for (float f : foreground) {
            count += f > 0 ? 1 : 0;
        }
        return count >= minPixels ? foreground : all;
    }

    /** The allowed pixels with the highest noise, a tenth of the allowed area within the bounds. */
    private static float[] quantileMask(float[] noise, float[] allowed, int minPixels, int maxPixels) {
        int allowedCount = 0;
        for (float a : allowed) {
            allowedCount += a > 0 ? 1 : 0;
        }
        float[] values = new float[allowedCount];
        int n = 0;
        for (int p = 0; p < noise.length; p++) {
            if (allowed[p] > 0) {
                values[n++] = noise[p];
            }
        }
        Arrays.sort(values);
        int target = Math.min(allowedCount, Math.max(minPixels, Math.min(maxPixels, allowedCount / 10)));
        float threshold = values[allowedCount - target];
        float[] mask = new float[noise.length];
        int covered = 0;
        for (int p = 0; p < noise.length && covered < target; p++) {
            if (allowed[p] > 0 && noise[p] >= threshold) {
                mask[p] = 1f;
                covered++;
            }
        }
        return mask;
    }

    /** The image cut into an 8×8 grid of cells and the cells put back in random order. */
    static FloatImage shuffled(FloatImage image, Random rng) {
        int gridY = Math.min(SHUFFLE_GRID, image.height());
        int gridX = Math.min(SHUFFLE_GRID, image.width());
        int cellH = image.height() / gridY;
        int cellW = image.width() / gridX;
        int[] order = new int[gridY * gridX];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        for (int i = order.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        // Rows and columns beyond the last whole cell keep their pixels.
        FloatImage out = image.copy();
        for (int cell = 0; cell < order.length; cell++) {
            int toY = (cell / gridX) * cellH;
            int toX = (cell % gridX) * cellW;
            int fromY = (order[cell] / gridX) * cellH;
            int fromX = (order[cell] % gridX) * cellW;
            for (int c = 0; c < image.channels(); c++) {
                for (int dy = 0; dy < cellH; dy++) {
                    for (int dx = 0; dx < cellW; dx++) {
                        out.set(c, toY + dy, toX + dx, image.get(c, fromY + dy, fromX + dx));
                    }
                }
            }
        }
        return out;
    }
}
