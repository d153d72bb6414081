package com.gladstream.glad.synthesis;

import com.gladstream.glad.image.FloatImage;
import java.util.Random;

/**
 * Random appearance changes of an anomaly source, so that pasted regions vary in brightness,
 * contrast, colour and orientation (after DRAEM, which applies three of nine imgaug operations).
 */
final class SourceAugmentation {

    private static final int OPERATIONS_PER_IMAGE = 3;

    private enum Operation { BRIGHTNESS, GAMMA, INVERT, POSTERIZE, SOLARIZE, CHANNEL_SWAP, AUTOCONTRAST, ROTATE }

    private SourceAugmentation() {}

    /** Applies three distinct operations, drawn from rng, to a copy of the source. */
    static FloatImage apply(FloatImage source, Random rng) {
        Operation[] ops = Operation.values().clone();
        FloatImage out = source.copy();
        for (int k = 0; k < OPERATIONS_PER_IMAGE; k++) {
            int pick = k + rng.nextInt(ops.length - k);
            Operation op = ops[pick];
            ops[pick] = ops[k];
            ops[k] = op;
            out = apply(op, out, rng);
        }
        return out;
    }

    private static FloatImage apply(Operation op, FloatImage img, Random rng) {
        float[] d = img.data();
        switch (op) {
            case BRIGHTNESS -> {
                float factor = 0.8f + 0.4f * rng.nextFloat();
                for (int i = 0; i < d.length; i++) {
                    d[i] = Math.min(1f, d[i] * factor);
                }
            }
            case GAMMA -> {
                double gamma = 0.5 + 1.5 * rng.nextDouble();
                for (int i = 0; i < d.length; i++) {
                    d[i] = (float) Math.pow(d[i], gamma);
                }
            }
            case INVERT -> {
                for (int i = 0; i < d.length; i++) {
                    d[i] = 1f - d[i];
                }
            }
            case POSTERIZE -> {
                for (int i = 0; i < d.length; i++) {
                    d[i] = Math.min(3f, (float) Math.floor(d[i] * 4f)) / 3f;
                }
            }
            case SOLARIZE -> {
                for (int i = 0; i < d.length; i++) {
                    d[i] = d[i] > 0.5f ? 1f - d[i] : d[i];
                }
            }
            case CHANNEL_SWAP -> {
                return img.channels() == 3 ? rotateChannels(img, 1 + rng.nextInt(2)) : img;
            }
            case AUTOCONTRAST -> {
                float min = Float.MAX_VALUE;
                float max = -Float.MAX_VALUE;
                for (float v : d) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
                if (max - min > 1e-6f) {
                    for (int i = 0; i < d.length; i++) {
                        d[i] = (d[i] - min) / (max - min);
                    }
                }
            }
            case ROTATE -> {
                return img.height() == img.width() ? quarterTurns(img, 1 + rng.nextInt(3)) : img;
            }
        }
        return img;
    }

    private static FloatImage rotateChannels(FloatImage img, int shift) {
        int plane = img.pixels();
        float[] out = new float[img.data().length];
        for (int c = 0; c < 3; c++) {
            System.arraycopy(img.data(), c * plane, out, ((c + shift) % 3) * plane, plane);
        }
        return new FloatImage(3, img.height(), img.width(), out);
    }

    private static FloatImage quarterTurns(FloatImage img, int turns) {
        int n = img.width();
        FloatImage out = img;
        for (int t = 0; t < turns; t++) {
            FloatImage turned = FloatImage.zeros(img.channels(), n, n);
            for (int c = 0; c < img.channels(); c++) {
                for (int y = 0; y < n; y++) {
                    for (int x = 0; x < n; x++) {
                        turned.set(c, y, x, out.get(c, x, n - 1 - y));
                    }
                }
            }
            out = turned;
        }
        return out;
    }
}
