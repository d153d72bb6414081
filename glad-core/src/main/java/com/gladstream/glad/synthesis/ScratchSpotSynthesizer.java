package com.gladstream.glad.synthesis;

import com.gladstream.glad.image.FloatImage;
import java.util.Random;

/**
 * Thin scratches and small spots, darker or brighter than the surface under them: a family of
 * anomalies that no model here trains on (docs/DESIGN.md A.4). ATP and the learned feature network
 * both learn from {@link AnomalySynthesizer}'s Perlin regions, so a validation set made with those
 * regions favours whatever learned them; this one asks whether a setting finds defects it never saw,
 * of the size real ones have (a few pixels wide).
 *
 * <p>Each anomaly has one to three defects. A scratch is a quadratic Bézier curve, 1 px to 1/48 of the
 * short side wide and 15–50 % of it long, both ends inside the image; a spot is an ellipse with radii of 1 px to 1/12 of the short
 * side. Both have anti-aliased edges (coverage in [0,1]); pixels are pulled toward black or white,
 * whichever is farther from the surface under the defect, by 0.25–0.6 times their coverage. The mask
 * is where coverage reaches one half, and never empty.
 */
public final class ScratchSpotSynthesizer implements AnomalyGenerator {

    private static final int MAX_DEFECTS = 3;

    @Override
    public AnomalyFamily family() {
        return AnomalyFamily.SCRATCHES;
    }

    @Override
    public SyntheticAnomaly synthesize(FloatImage normal, Random rng) {
        int h = normal.height();
        int w = normal.width();
        FloatImage out = normal.copy();
        float[] covered = new float[h * w];
        int defects = 1 + rng.nextInt(MAX_DEFECTS);
        for (int d = 0; d < defects; d++) {
            float[] coverage = rng.nextBoolean() ? scratch(h, w, rng) : spot(h, w, rng);
            // Toward the farther of black and white, so that a defect is visible on any surface.
            // Judged on the normal image, so that overlapping defects pull the same way and do not cancel.
            float target = meanUnder(normal, coverage) > 0.5f ? 0f : 1f;
            paint(out, coverage, target, 0.25f + 0.35f * rng.nextFloat());
            for (int p = 0; p < covered.length; p++) {
                covered[p] = Math.max(covered[p], coverage[p]);
            }
        }
        float[] mask = new float[h * w];
        int mostCovered = 0;
        for (int p = 0; p < covered.length; p++) {
            mask[p] = covered[p] >= 0.5f ? 1f : 0f;
            mostCovered = covered[p] > covered[mostCovered] ? p : mostCovered;
        }
        // A one-pixel scratch can cover no pixel by half; its most covered pixel is the mask then.
        mask[mostCovered] = 1f;
        return new SyntheticAnomaly(out, mask);
    }

    /** Coverage of a curved stroke: one minus the distance to the curve beyond its half width, clamped. */
    static float[] scratch(int h, int w, Random rng) {
        float shortSide = Math.min(h, w);
        float width = 1f + rng.nextFloat() * Math.max(0f, shortSide / 48f - 1f);
        float length = shortSide * (0.15f + 0.35f * rng.nextFloat());
        double angle = rng.nextDouble() * Math.PI;
        // The chord's middle is drawn where both ends stay inside the image (length ≤ half the short side).
        float mx = length / 2 + rng.nextFloat() * (w - length);
        float my = length / 2 + rng.nextFloat() * (h - length);
        float hx = (float) (length / 2 * Math.cos(angle));
        float hy = (float) (length / 2 * Math.sin(angle));
        float x0 = mx - hx;
        float y0 = my - hy;
        float x2 = mx + hx;
        float y2 = my + hy;
        float bend = (rng.nextFloat() - 0.5f) * 0.4f * length; // control point off the chord
        float cx = (x0 + x2) / 2 - (float) (bend * Math.sin(angle));
        float cy = (y0 + y2) / 2 + (float) (bend * Math.cos(angle));
        float[] coverage = new float[h * w];
        int samples = (int) Math.ceil(length * 2) + 1;
        float reach = width / 2 + 1;
        for (int s = 0; s <= samples; s++) {
            float t = (float) s / samples;
            float px = (1 - t) * (1 - t) * x0 + 2 * (1 - t) * t * cx + t * t * x2;
            float py = (1 - t) * (1 - t) * y0 + 2 * (1 - t) * t * cy + t * t * y2;
            for (int y = Math.max(0, (int) (py - reach)); y <= Math.min(h - 1, (int) (py + reach)); y++) {
                for (int x = Math.max(0, (int) (px - reach)); x <= Math.min(w - 1, (int) (px + reach)); x++) {
                    float dist = (float) Math.hypot(x + 0.5f - px, y + 0.5f - py);
                    float c = clamp(width / 2 + 0.5f - dist);
                    coverage[y * w + x] = Math.max(coverage[y * w + x], c);
                }
            }
        }
        return coverage;
    }

    /** Coverage of a rotated ellipse, its edge one pixel soft. */
    static float[] spot(int h, int w, Random rng) {
        float maxRadius = Math.max(1.5f, Math.min(h, w) / 12f);
        float rx = 1f + rng.nextFloat() * (maxRadius - 1f);
        float ry = 1f + rng.nextFloat() * (maxRadius - 1f);
        double angle = rng.nextDouble() * Math.PI;
        float cos = (float) Math.cos(angle);
        float sin = (float) Math.sin(angle);
        float cx = rng.nextFloat() * w;
        float cy = rng.nextFloat() * h;
        float reach = Math.max(rx, ry) + 1;
        float[] coverage = new float[h * w];
        for (int y = Math.max(0, (int) (cy - reach)); y <= Math.min(h - 1, (int) (cy + reach)); y++) {
            for (int x = Math.max(0, (int) (cx - reach)); x <= Math.min(w - 1, (int) (cx + reach)); x++) {
                float dx = x + 0.5f - cx;
                float dy = y + 0.5f - cy;
                float u = (dx * cos + dy * sin) / rx;
                float v = (-dx * sin + dy * cos) / ry;
                float edge = (1 - (float) Math.sqrt(u * u + v * v)) * Math.min(rx, ry); // pixels inside the rim
                coverage[y * w + x] = clamp(edge + 0.5f);
            }
        }
        return coverage;
    }

    private static void paint(FloatImage image, float[] coverage, float target, float strength) {
        float[] d = image.data();
        int plane = image.pixels();
        for (int p = 0; p < plane; p++) {
            float a = coverage[p] * strength;
            if (a > 0) {
                for (int c = 0; c < image.channels(); c++) {
                    int i = c * plane + p;
                    d[i] += a * (target - d[i]);
                }
            }
        }
    }

    /** Mean intensity over all channels of the pixels a defect covers, weighted by coverage. */
    private static float meanUnder(FloatImage image, float[] coverage) {
        int plane = image.pixels();
        double sum = 0;
        double weight = 0;
        for (int p = 0; p < plane; p++) {
            if (coverage[p] > 0) {
                for (int c = 0; c < image.channels(); c++) {
                    sum += coverage[p] * image.data()[c * plane + p];
                }
                weight += coverage[p] * image.channels();
            }
        }
        return weight == 0 ? 0.5f : (float) (sum / weight);
    }

    private static float clamp(float v) {
        return Math.max(0f, Math.min(1f, v));
    }
}
