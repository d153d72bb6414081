package com.gladstream.glad.image;

import java.awt.image.BufferedImage;
import java.util.Arrays;

/**
 * An image as floats in channel-major (C×H×W) layout with values in [0,1].
 *
 * <p>This is the one image type the method works on: loaders produce it, synthesis and
 * reconstruction consume it, and it converts to and from model space ([-1,1]) at the model's
 * boundary only.
 */
public record FloatImage(int channels, int height, int width, float[] data) {

    public FloatImage {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
        }
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        if (data.length != channels * height * width) {
            throw new IllegalArgumentException("data has " + data.length + " values, expected "
                    + channels + "x" + height + "x" + width);
        }
    }

    public static FloatImage zeros(int channels, int height, int width) {
        return new FloatImage(channels, height, width, new float[channels * height * width]);
    }

    public float get(int c, int y, int x) {
        return data[(c * height + y) * width + x];
    }

    public void set(int c, int y, int x, float v) {
        data[(c * height + y) * width + x] = v;
    }

    public int pixels() {
        return height * width;
    }

    public FloatImage copy() {
        return new FloatImage(channels, height, width, Arrays.copyOf(data, data.length));
    }

    /** Reads any BufferedImage as RGB (channels = 3) or luminance (channels = 1). */
    public static FloatImage fromBufferedImage(BufferedImage img, int channels) {
        int h = img.getHeight();
        int w = img.getWidth();
        float[] out = new float[channels * h * w];
        int plane = h * w;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = img.getRGB(x, y);
                float r = ((rgb >> 16) & 0xff) / 255f;
                float g = ((rgb >> 8) & 0xff) / 255f;
                float b = (rgb & 0xff) / 255f;
                int i = y * w + x;
                if (channels == 3) {
                    out[i] = r;
                    out[plane + i] = g;
                    out[2 * plane + i] = b;
                } else {
                    out[i] = 0.299f * r + 0.587f * g + 0.114f * b;
                }
            }
        }
        return new FloatImage(channels, h, w, out);
    }

    /** Converts to an 8-bit RGB image (gray images are replicated to three channels). */
    public BufferedImage toBufferedImage() {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int plane = height * width;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = y * width + x;
                int r = to8bit(data[i]);
                int g = channels == 3 ? to8bit(data[plane + i]) : r;
                int b = channels == 3 ? to8bit(data[2 * plane + i]) : r;
                img.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return img;
    }

    private static int to8bit(float v) {
        return Math.round(Math.max(0f, Math.min(1f, v)) * 255f);
    }

    /** Bilinear resize (align-corners false), the same convention as the model's interpolation. */
    public FloatImage resize(int newHeight, int newWidth) {
        if (newHeight == height && newWidth == width) {
            return copy();
        }
        float[] out = new float[channels * newHeight * newWidth];
        float sy = (float) height / newHeight;
        float sx = (float) width / newWidth;
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < newHeight; y++) {
                float fy = Math.max(0f, (y + 0.5f) * sy - 0.5f);
                int y0 = Math.min((int) fy, height - 1);
                int y1 = Math.min(y0 + 1, height - 1);
                float wy = fy - y0;
                for (int x = 0; x < newWidth; x++) {
                    float fx = Math.max(0f, (x + 0.5f) * sx - 0.5f);
                    int x0 = Math.min((int) fx, width - 1);
                    int x1 = Math.min(x0 + 1, width - 1);
                    float wx = fx - x0;
                    float top = get(c, y0, x0) * (1 - wx) + get(c, y0, x1) * wx;
                    float bottom = get(c, y1, x0) * (1 - wx) + get(c, y1, x1) * wx;
                    out[(c * newHeight + y) * newWidth + x] = top * (1 - wy) + bottom * wy;
                }
            }
        }
        return new FloatImage(channels, newHeight, newWidth, out);
    }
}
