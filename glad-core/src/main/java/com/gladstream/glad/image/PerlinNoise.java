package com.gladstream.glad.image;

import java.util.Random;

/**
 * Two-dimensional gradient (Perlin) noise on a periodic lattice of random unit gradients, with the
 * quintic fade 6t⁵−15t⁴+10t³ (as in DRAEM's {@code rand_perlin_2d}). Values lie in about
 * [−0.71, 0.71]. The lattice wraps around, so the noise is defined at every coordinate and an
 * image can be sampled under any rotation without empty corners.
 */
public final class PerlinNoise {

    private final int cellsY;
    private final int cellsX;
    private final float[] gradY;
    private final float[] gradX;

    /** A lattice of cellsY × cellsX cells with gradients drawn from rng. */
    public PerlinNoise(int cellsY, int cellsX, Random rng) {
        if (cellsY < 1 || cellsX < 1) {
            throw new IllegalArgumentException("need at least one cell per axis, got " + cellsY + "x" + cellsX);
        }
        this.cellsY = cellsY;
        this.cellsX = cellsX;
        gradY = new float[cellsY * cellsX];
        gradX = new float[cellsY * cellsX];
        for (int i = 0; i < gradY.length; i++) {
            double angle = 2 * Math.PI * rng.nextDouble();
            gradY[i] = (float) Math.sin(angle);
            gradX[i] = (float) Math.cos(angle);
        }
    }

    /** Noise at a point in lattice units (one unit = one cell). */
    public float at(double y, double x) {
        int y0 = (int) Math.floor(y);
        int x0 = (int) Math.floor(x);
        float fy = (float) (y - y0);
        float fx = (float) (x - x0);
        float n00 = dot(y0, x0, fy, fx);
        float n01 = dot(y0, x0 + 1, fy, fx - 1);
        float n10 = dot(y0 + 1, x0, fy - 1, fx);
        float n11 = dot(y0 + 1, x0 + 1, fy - 1, fx - 1);
        float wy = fade(fy);
        float wx = fade(fx);
        float top = n00 + wx * (n01 - n00);
        float bottom = n10 + wx * (n11 - n10);
        return top + wy * (bottom - top);
    }

    /**
     * The noise over a height×width image that spans the whole lattice once, turned by the given
     * angle about the image centre. Row-major.
     */
    public float[] render(int height, int width, double rotationRadians) {
        float[] out = new float[height * width];
        double cos = Math.cos(rotationRadians);
        double sin = Math.sin(rotationRadians);
        double cy = (height - 1) / 2.0;
        double cx = (width - 1) / 2.0;
        double toCellY = (double) cellsY / height;
        double toCellX = (double) cellsX / width;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double dy = y - cy;
                double dx = x - cx;
                double ry = cy + cos * dy + sin * dx;
                double rx = cx - sin * dy + cos * dx;
                out[y * width + x] = at(ry * toCellY, rx * toCellX);
            }
        }
        return out;
    }

    private float dot(int cy, int cx, float dy, float dx) {
        int i = Math.floorMod(cy, cellsY) * cellsX + Math.floorMod(cx, cellsX);
        return gradY[i] * dy + gradX[i] * dx;
    }

    private static float fade(float t) {
        return t * t * t * (t * (t * 6 - 15) + 10);
    }
}
