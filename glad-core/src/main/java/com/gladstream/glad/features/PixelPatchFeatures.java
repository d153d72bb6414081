package com.gladstream.glad.features;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;

/**
 * Raw pixel patches as features: each non-overlapping p×p patch of the model-space image becomes
 * one C·p²-vector, one layer per patch size. A baseline that needs no trained network; cosine
 * matching of raw patches compares local structure and ignores uniform brightness scaling.
 */
public final class PixelPatchFeatures implements FeatureExtractor {

    static final int[] DEFAULT_PATCHES = {4, 8};

    private final int[] patches;

    public PixelPatchFeatures(int... patches) {
        if (patches.length == 0) {
            throw new IllegalArgumentException("no patch sizes given");
        }
        for (int p : patches) {
            if (p <= 0) {
                throw new IllegalArgumentException("patch sizes must be positive, got " + p);
            }
        }
        this.patches = patches.clone();
    }

    @Override
    public NDList extract(NDArray images) {
        Shape s = images.getShape();
        long n = s.get(0);
        long c = s.get(1);
        NDList layers = new NDList(patches.length);
        for (int p : patches) {
            long rows = s.get(2) / p;
            long cols = s.get(3) / p;
            if (rows == 0 || cols == 0) {
                throw new IllegalArgumentException("image " + s + " is smaller than the " + p + "-pixel patch");
            }
            // Crop to whole patches, then N×C×rows×p×cols×p → N×(C·p·p)×rows×cols.
            NDArray cropped = images.get(":, :, :" + rows * p + ", :" + cols * p);
            layers.add(cropped.reshape(n, c, rows, p, cols, p)
                    .transpose(0, 1, 3, 5, 2, 4)
                    .reshape(n, c * p * p, rows, cols));
        }
        return layers;
    }

    @Override
    public String name() {
        return FeatureExtractors.pixelSpec(patches);
    }
}
