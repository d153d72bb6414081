package com.gladstream.glad.scoring;

import com.gladstream.glad.image.FloatImage;
import java.util.Arrays;

/** A per-pixel anomaly map, row-major H×W; larger means more anomalous. */
public record AnomalyMap(int height, int width, float[] values) {

    public AnomalyMap {
        if (values.length != height * width) {
            throw new IllegalArgumentException("map has " + values.length + " values, expected " + height + "x" + width);
        }
    }

    public float get(int y, int x) {
        return values[y * width + x];
    }

    /** Bilinear resize with the same convention as {@link FloatImage#resize}. */
    public AnomalyMap resize(int newHeight, int newWidth) {
        FloatImage resized = new FloatImage(1, height, width, values).resize(newHeight, newWidth);
        return new AnomalyMap(newHeight, newWidth, resized.data());
    }

    /**
     * The image score of docs/DESIGN.md A.3: the mean of the largest {@code max(1, round(fraction·H·W))}
     * values, so a small but strong region counts while a single hot pixel does not dominate.
     */
    public double topKMean(double fraction) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("top-k fraction must be in (0,1], got " + fraction);
        }
        int k = Math.max(1, (int) Math.round(fraction * values.length));
        float[] sorted = values.clone();
        Arrays.sort(sorted);
        double sum = 0;
        for (int i = sorted.length - k; i < sorted.length; i++) {
            sum += sorted[i];
        }
        return sum / k;
    }

    /** Zeroes the map outside a foreground mask of the same size (mask values > 0.5 are foreground). */
    public AnomalyMap masked(AnomalyMap foreground) {
        if (foreground.height != height || foreground.width != width) {
            throw new IllegalArgumentException("foreground mask " + foreground.width + "x" + foreground.height
                    + " does not match map " + width + "x" + height);
        }
        float[] out = new float[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = foreground.values[i] > 0.5f ? values[i] : 0f;
        }
        return new AnomalyMap(height, width, out);
    }
}
