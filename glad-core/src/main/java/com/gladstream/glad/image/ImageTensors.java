package com.gladstream.glad.image;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;

/** Converts between {@link FloatImage}s in [0,1] and batched model-space tensors N×C×H×W in [-1,1]. */
public final class ImageTensors {

    private ImageTensors() {}

    /** Stacks same-sized images into one N×C×H×W array scaled to [-1,1]. */
    public static NDArray toModelSpace(NDManager manager, List<FloatImage> images) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("no images to convert");
        }
        FloatImage first = images.get(0);
        int per = first.data().length;
        float[] batch = new float[per * images.size()];
        for (int i = 0; i < images.size(); i++) {
            FloatImage img = images.get(i);
            if (img.channels() != first.channels() || img.height() != first.height() || img.width() != first.width()) {
                throw new IllegalArgumentException("images in one batch must share a size: "
                        + describe(first) + " vs " + describe(img));
            }
            float[] d = img.data();
            for (int j = 0; j < per; j++) {
                batch[i * per + j] = d[j] * 2f - 1f;
            }
        }
        return manager.create(batch, new Shape(images.size(), first.channels(), first.height(), first.width()));
    }

    /** Splits an N×C×H×W model-space array back into images in [0,1] (values clamped). */
    public static List<FloatImage> fromModelSpace(NDArray batch) {
        Shape s = batch.getShape();
        if (s.dimension() != 4) {
            throw new IllegalArgumentException("expected N×C×H×W, got " + s);
        }
        int n = (int) s.get(0);
        int c = (int) s.get(1);
        int h = (int) s.get(2);
        int w = (int) s.get(3);
        float[] all = batch.toFloatArray();
        int per = c * h * w;
        List<FloatImage> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            float[] d = new float[per];
            for (int j = 0; j < per; j++) {
                d[j] = Math.max(0f, Math.min(1f, (all[i * per + j] + 1f) * 0.5f));
            }
            out.add(new FloatImage(c, h, w, d));
        }
        return out;
    }

    private static String describe(FloatImage img) {
        return img.channels() + "x" + img.height() + "x" + img.width();
    }
}
