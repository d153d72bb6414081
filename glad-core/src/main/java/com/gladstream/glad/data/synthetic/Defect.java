package com.gladstream.glad.data.synthetic;

import com.gladstream.glad.image.FloatImage;
import java.util.Locale;
import java.util.Random;

/**
 * The defect types of a synthetic category. Each paints itself onto a normal scene as a coverage
 * map α in [0,1] over a target (a colour, or what lies behind the material):
 * out = (1−α)·image + α·target. The ground truth is α ≥ 0.5.
 */
enum Defect {
    /** A thin pale curve, as from a sharp tool. */
    SCRATCH,
    /** A dark irregular blot. */
    STAIN,
    /** A small round hole, nearly black. */
    HOLE,
    /** A chipped-off piece: the material is gone and what lies behind shows. */
    MISSING,
    /** A saturated foreign colour over an irregular area. */
    CONTAMINATION;

    private static final int MAX_ATTEMPTS = 100;
    private static final float[] PALE = {0.94f, 0.92f, 0.88f};
    private static final float[] DARK = {0.16f, 0.11f, 0.07f};
    private static final float[] BLACK = {0.04f, 0.04f, 0.05f};
    private static final float[][] FOREIGN = {{0.12f, 0.30f, 0.85f}, {0.15f, 0.65f, 0.20f}, {0.85f, 0.12f, 0.10f}};

    /** The folder name of this defect type under test/ and ground_truth/. */
    String folder() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** An image showing this defect and its H×W {0,1} mask, never empty. */
    DefectImage paint(Scene scene, Random rng) {
        int size = scene.image().width();
        int minPixels = Math.max(4, size * size / 4000);
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            float[] alpha = coverage(scene, anchor(scene, rng, this == MISSING), size, rng);
            float[] mask = new float[alpha.length];
            int covered = 0;
            for (int p = 0; p < alpha.length; p++) {
                if (this != MISSING) {
                    alpha[p] *= scene.material()[p];
                }
                mask[p] = alpha[p] >= 0.5f ? 1f : 0f;
                covered += (int) mask[p];
            }
            if (covered >= minPixels) {
                float[] colour = switch (this) {
                    case SCRATCH -> PALE;
                    case STAIN -> DARK;
                    case HOLE -> BLACK;
                    case MISSING -> null;
                    case CONTAMINATION -> FOREIGN[rng.nextInt(FOREIGN.length)];
                };
                return new DefectImage(blend(scene, alpha, colour), mask);
            }
        }
        throw new IllegalStateException(this + " found no room on the scene in " + MAX_ATTEMPTS + " attempts");
    }

    private float[] coverage(Scene scene, int anchor, int size, Random rng) {
        double ay = anchor / size;
        double ax = anchor % size;
        return switch (this) {
            case SCRATCH -> scratch(size, ay, ax, rng);
            case STAIN -> blob(size, ay, ax, size * (0.04 + 0.05 * rng.nextDouble()), 0.8f, rng);
            case HOLE -> disc(size, ay, ax, size * (0.025 + 0.025 * rng.nextDouble()));
            case MISSING -> chip(scene, size, ay, ax, rng);
            case CONTAMINATION -> blob(size, ay, ax, size * (0.06 + 0.06 * rng.nextDouble()), 0.65f, rng);
        };
    }

    /** A material pixel; for a missing piece one on the material's edge when it has one, so it bites the outline. */
    private static int anchor(Scene scene, Random rng, boolean preferEdge) {
        float[] m = scene.material();
        int size = scene.image().width();
        int[] candidates = new int[m.length];
        int n = 0;
        for (int p = 0; p < m.length; p++) {
            if (m[p] > 0 && (!preferEdge || isEdge(m, p, size))) {
                candidates[n++] = p;
            }
        }
        if (n == 0) {
            return anchor(scene, rng, false);
        }
        return candidates[rng.nextInt(n)];
    }

    private static boolean isEdge(float[] m, int p, int size) {
        int y = p / size;
        int x = p % size;
        return y > 0 && y < size - 1 && x > 0 && x < size - 1
                && (m[p - 1] == 0 || m[p + 1] == 0 || m[p - size] == 0 || m[p + size] == 0);
    }

    /** A smooth random curve of 15–35% of the image side, 1.5–3 px wide at 256 px. */
    private static float[] scratch(int size, double y, double x, Random rng) {
        float[] alpha = new float[size * size];
        double length = size * (0.15 + 0.2 * rng.nextDouble());
        double halfWidth = Math.max(0.7, size / 256.0 * (0.8 + 0.7 * rng.nextDouble()));
        double heading = rng.nextDouble() * 2 * Math.PI;
        double bend = rng.nextGaussian() * 2.0 / length;
        for (double walked = 0; walked < length; walked += 0.5) {
            heading += bend * 0.5 + rng.nextGaussian() * 0.01;
            y += 0.5 * Math.sin(heading);
            x += 0.5 * Math.cos(heading);
            stamp(alpha, size, y, x, halfWidth);
        }
        return alpha;
    }

    private static void stamp(float[] alpha, int size, double cy, double cx, double r) {
        int r0 = (int) Math.ceil(r);
        for (int y = (int) cy - r0; y <= (int) cy + r0; y++) {
            for (int x = (int) cx - r0; x <= (int) cx + r0; x++) {
                if (y >= 0 && y < size && x >= 0 && x < size && Math.hypot(y - cy, x - cx) <= r) {
                    alpha[y * size + x] = 1f;
                }
            }
        }
    }

    private static float[] disc(int size, double cy, double cx, double r) {
        float[] alpha = new float[size * size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                alpha[y * size + x] = clamp01(r - Math.hypot(y - cy, x - cx) + 0.5);
            }
        }
        return alpha;
    }

    /** An irregular blob: a circle whose radius wobbles with angle, with a soft one-pixel edge. */
    private static float[] blob(int size, double cy, double cx, double r, float opacity, Random rng) {
        double phase3 = rng.nextDouble() * 2 * Math.PI;
        double phase5 = rng.nextDouble() * 2 * Math.PI;
        float[] alpha = new float[size * size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double theta = Math.atan2(y - cy, x - cx);
                double edge = r * (1 + 0.25 * Math.sin(3 * theta + phase3) + 0.12 * Math.sin(5 * theta + phase5));
                alpha[y * size + x] = opacity * clamp01(edge - Math.hypot(y - cy, x - cx) + 0.5);
            }
        }
        return alpha;
    }

    /** A random convex-ish polygon around the anchor, cut out of the material. */
    private static float[] chip(Scene scene, int size, double cy, double cx, Random rng) {
        int corners = 5 + rng.nextInt(3);
        double r = size * (0.07 + 0.05 * rng.nextDouble());
        double[] vy = new double[corners];
        double[] vx = new double[corners];
        double start = rng.nextDouble() * 2 * Math.PI;
        for (int k = 0; k < corners; k++) {
            double theta = start + 2 * Math.PI * (k + 0.3 * rng.nextDouble()) / corners;
            double rk = r * (0.6 + 0.6 * rng.nextDouble());
            vy[k] = cy + rk * Math.sin(theta);
            vx[k] = cx + rk * Math.cos(theta);
        }
        float[] alpha = new float[size * size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int p = y * size + x;
                alpha[p] = scene.material()[p] > 0 && insidePolygon(vy, vx, y, x) ? 1f : 0f;
            }
        }
        return alpha;
    }

    private static boolean insidePolygon(double[] vy, double[] vx, double y, double x) {
        boolean inside = false;
        for (int i = 0, j = vy.length - 1; i < vy.length; j = i++) {
            if ((vy[i] > y) != (vy[j] > y) && x < vx[i] + (vx[j] - vx[i]) * (y - vy[i]) / (vy[j] - vy[i])) {
                inside = !inside;
            }
        }
        return inside;
    }

    /** Blends towards a constant colour, or towards what lies behind when colour is null. */
    private static FloatImage blend(Scene scene, float[] alpha, float[] colour) {
        FloatImage out = scene.image().copy();
        int size = out.width();
        for (int p = 0; p < alpha.length; p++) {
            if (alpha[p] == 0) {
                continue;
            }
            int y = p / size;
            int x = p % size;
            for (int c = 0; c < 3; c++) {
                float target = colour == null ? scene.behind().get(c, y, x) : colour[c];
                out.set(c, y, x, (1 - alpha[p]) * out.get(c, y, x) + alpha[p] * target);
            }
        }
        return out;
    }

    private static float clamp01(double v) {
        return (float) Math.max(0, Math.min(1, v));
    }

    record DefectImage(FloatImage image, float[] mask) {}
}
