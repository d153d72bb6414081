package com.gladstream.glad.synthesis;

import static org.assertj.core.api.Assertions.assertThat;

import com.gladstream.glad.image.FloatImage;
import com.gladstream.glad.image.ImageSize;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnomalySynthesizerTest {

    private static final int SIZE = 64;

    @TempDir
    Path dir;

    @Test
    void sameSeedGivesTheSameAnomalyAndAnotherSeedAnotherOne() {
        AnomalySynthesizer synth = new AnomalySynthesizer(SynthesisConfig.defaults());
        FloatImage normal = noiseImage(3, 5);
        SyntheticAnomaly a = synth.synthesize(normal, new Random(11));
        SyntheticAnomaly b = synth.synthesize(normal, new Random(11));
        SyntheticAnomaly c = synth.synthesize(normal, new Random(12));
        assertThat(a.image().data()).containsExactly(b.image().data());
        assertThat(a.mask()).containsExactly(b.mask());
        assertThat(a.mask()).isNotEqualTo(c.mask());
    }

    @Test
    void masksAreBinaryNonEmptyBoundedAndOnlyMaskedPixelsChange() {
        SynthesisConfig config = SynthesisConfig.defaults();
        AnomalySynthesizer synth = new AnomalySynthesizer(config);
        FloatImage normal = noiseImage(3, 6);
        Random rng = new Random(3);
        for (int i = 0; i < 100; i++) {
            SyntheticAnomaly anomaly = synth.synthesize(normal, rng);
            int covered = 0;
            int changedInside = 0;
            for (int p = 0; p < normal.pixels(); p++) {
                float m = anomaly.mask()[p];
                assertThat(m).isIn(0f, 1f);
                boolean changed = false;
                for (int c = 0; c < 3; c++) {
                    float before = normal.data()[c * normal.pixels() + p];
                    float after = anomaly.image().data()[c * normal.pixels() + p];
                    if (m == 0) {
                        assertThat(after).isEqualTo(before);
                    }
                    changed |= after != before;
                }
                covered += (int) m;
                changedInside += m == 1 && changed ? 1 : 0;
            }
            assertThat(covered).isPositive().isLessThanOrEqualTo((int) (config.maxMaskFraction() * normal.pixels()));
            assertThat(changedInside).isPositive();
        }
    }

    @Test
    void texturesAndSelfShuffleAreBothUsed() throws IOException {
        // On a flat grey image a shuffled source is flat too, so a flat pasted region means
        // self-shuffle and a textured one means a texture.
        FloatImage flat = new FloatImage(3, SIZE, SIZE, filled(3 * SIZE * SIZE, 0.5f));
        Path textureFile = dir.resolve("speckle.png");
        ImageIO.write(noiseImage(3, 99).toBufferedImage(), "png", textureFile.toFile());
        TextureSource textures = TextureSource.load(dir, 3, ImageSize.square(SIZE));
        assertThat(textures.count()).isEqualTo(1);

        AnomalySynthesizer alwaysTexture = new AnomalySynthesizer(withTextureProbability(1f), textures);
        AnomalySynthesizer neverTexture = new AnomalySynthesizer(withTextureProbability(0f), textures);
        AnomalySynthesizer mixed = new AnomalySynthesizer(withTextureProbability(0.5f), textures);
        int texturedCount = 0;
        for (int seed = 0; seed < 20; seed++) {
            assertThat(insideSpread(alwaysTexture.synthesize(flat, new Random(seed)))).isGreaterThan(0.01f);
            assertThat(insideSpread(neverTexture.synthesize(flat, new Random(seed)))).isLessThan(1e-6f);
            texturedCount += insideSpread(mixed.synthesize(flat, new Random(seed))) > 0.01f ? 1 : 0;
        }
        assertThat(texturedCount).isBetween(3, 17);
    }

    @Test
    void shuffleMovesWholeCellsAround() {
        FloatImage image = noiseImage(1, 8);
        FloatImage shuffled = AnomalySynthesizer.shuffled(image, new Random(4));
        assertThat(shuffled.data()).isNotEqualTo(image.data());
        float[] a = image.data().clone();
        float[] b = shuffled.data().clone();
        Arrays.sort(a);
        Arrays.sort(b);
        assertThat(b).containsExactly(a);
        // The cell now at the top-left is some cell of the original, pixel for pixel.
        int cell = SIZE / 8;
        boolean found = false;
        for (int cy = 0; cy < 8 && !found; cy++) {
            for (int cx = 0; cx < 8 && !found; cx++) {
                found = sameCell(shuffled, 0, 0, image, cy * cell, cx * cell, cell);
            }
        }
        assertThat(found).isTrue();
    }

    @Test
    void foregroundRuleKeepsAnomaliesOnTheObject() {
        FloatImage disc = disc();
        float[] foreground = ForegroundMask.fromBorderColour(disc, 0.1f);
        assertThat(foreground[(SIZE / 2) * SIZE + SIZE / 2]).isEqualTo(1f);
        assertThat(foreground[0]).isZero();

        AnomalySynthesizer synth = new AnomalySynthesizer(
                SynthesisConfig.defaults().withForeground(SynthesisConfig.Foreground.BORDER_COLOUR));
        Random rng = new Random(8);
        for (int i = 0; i < 30; i++) {
            float[] mask = synth.synthesize(disc, rng).mask();
            for (int p = 0; p < mask.length; p++) {
                if (mask[p] > 0) {
                    assertThat(foreground[p]).isEqualTo(1f);
                }
            }
        }
    }

    @Test
    void impossibleCoverageFallsBackToABoundedNonEmptyMask() {
        // Thresholds above the noise's range never fire, so every draw misses.
        SynthesisConfig unreachable = new SynthesisConfig(0, 2, 0.9f, 0.95f, 0.8f, 0.5f,
                SynthesisConfig.Foreground.ANYWHERE, 0.1f, 0.001f, 0.5f);
        float[] mask = new AnomalySynthesizer(unreachable).mask(noiseImage(3, 1), new Random(5));
        int covered = 0;
        for (float m : mask) {
            covered += (int) m;
        }
        assertThat(covered).isEqualTo(SIZE * SIZE / 10);
    }

    private static SynthesisConfig withTextureProbability(float p) {
        SynthesisConfig d = SynthesisConfig.defaults();
        return new SynthesisConfig(d.minScaleExponent(), d.maxScaleExponent(), d.minThreshold(), d.maxThreshold(),
                d.maxOpacity(), p, d.foreground(), d.foregroundTolerance(), d.minMaskFraction(), d.maxMaskFraction());
    }

    /** Max minus min of the first channel over the masked pixels. */
    private static float insideSpread(SyntheticAnomaly anomaly) {
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (int p = 0; p < anomaly.mask().length; p++) {
            if (anomaly.mask()[p] > 0) {
                float v = anomaly.image().data()[p];
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        return max - min;
    }

    private static boolean sameCell(FloatImage a, int ay, int ax, FloatImage b, int by, int bx, int cell) {
        for (int dy = 0; dy < cell; dy++) {
            for (int dx = 0; dx < cell; dx++) {
                if (a.get(0, ay + dy, ax + dx) != b.get(0, by + dy, bx + dx)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static FloatImage noiseImage(int channels, long seed) {
        Random rng = new Random(seed);
        float[] d = new float[channels * SIZE * SIZE];
        for (int i = 0; i < d.length; i++) {
            d[i] = rng.nextFloat();
        }
        return new FloatImage(channels, SIZE, SIZE, d);
    }

    private static FloatImage disc() {
        FloatImage img = new FloatImage(3, SIZE, SIZE, filled(3 * SIZE * SIZE, 0.9f));
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                if (Math.hypot(y - SIZE / 2.0, x - SIZE / 2.0) < SIZE / 4.0) {
                    img.set(0, y, x, 0.4f);
                    img.set(1, y, x, 0.3f);
                    img.set(2, y, x, 0.2f);
                }
            }
        }
        return img;
    }

    private static float[] filled(int n, float v) {
        float[] d = new float[n];
        Arrays.fill(d, v);
        return d;
    }
}
