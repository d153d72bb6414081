package com.gladstream.glad.synthesis;

import com.gladstream.glad.image.FloatImage;
import java.util.Arrays;

/**
 * A rough object/background split for objects photographed on a plain background: the
 * background colour is the per-channel median of the image's outermost ring of pixels, and
 * every pixel that differs from it by more than a tolerance in some channel is foreground.
 */
public final class ForegroundMask {

    private ForegroundMask() {}

    /** H×W row-major, 1 for foreground and 0 for background. */
    public static float[] fromBorderColour(FloatImage image, float tolerance) {
        int h = image.height();
        int w = image.width();
        float[] background = new float[image.channels()];
        for (int c = 0; c < image.channels(); c++) {
            background[c] = median(border(image, c));
        }
        float[] mask = new float[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < image.channels(); c++) {
                    if (Math.abs(image.get(c, y, x) - background[c]) > tolerance) {
                        mask[y * w + x] = 1f;
                        break;
                    }
                }
            }
        }
        return mask;
    }

    private static float[] border(FloatImage image, int c) {
        int h = image.height();
        int w = image.width();
        float[] ring = new float[h == 1 || w == 1 ? h * w : 2 * (h + w) - 4];
        int n = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (y == 0 || y == h - 1 || x == 0 || x == w - 1) {
                    ring[n++] = image.get(c, y, x);
                }
            }
        }
        return ring;
    }

    private static float median(float[] values) {
        Arrays.sort(values);
        return values[values.length / 2];
    }
}
