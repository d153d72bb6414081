package com.gladstream.glad.features;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * Features of a small convolutional network with fixed random weights: three 3×3 convolutions, each
 * followed by ReLU and 2×2 average pooling, so layer l has stride 2^(l+1). Random filters respond to
 * edges, spots and their orientations in many combinations, so the maps describe local texture
 * beyond raw pixels while depending on no trained file and no category (docs/DESIGN.md A.3). The
 * weights follow from the seed alone; the first layer's filters have zero mean, so a uniform change
 * of brightness does not move the features, and a small positive bias, so a flat region maps to a
 * constant vector that matches another flat region (cosine needs a direction; zero has none).
 */
public final class RandomConvFeatures implements FeatureExtractor {

    static final int[] WIDTHS = {32, 64, 128};
    static final int[] DEFAULT_LAYERS = {0, 1, 2};
    static final int DEFAULT_SEED = 0;
    /** Gray images are repeated to three channels, so one set of weights serves both. */
    private static final int IN_CHANNELS = 3;
    /** Against responses of order 1 for an edge of full contrast in model space ([-1, 1]). */
    private static final float FIRST_BIAS = 0.1f;

    private final long seed;
    private final int[] layers;
    private final NDManager manager;
    private final List<NDArray> weights = new ArrayList<>();
    private final NDArray firstBias;

    /**
     * @param seed the random weights' seed
     * @param layers which of the three layers to return, each in [0, 3)
     */
    public RandomConvFeatures(long seed, int[] layers) {
        if (layers.length == 0 || Arrays.stream(layers).anyMatch(l -> l < 0 || l >= WIDTHS.length)) {
            throw new IllegalArgumentException("layers must be in [0, " + WIDTHS.length + "), got " + Arrays.toString(layers));
        }
        this.seed = seed;
        this.layers = layers.clone();
        this.manager = NDManager.newBaseManager("PyTorch");
        Random rng = new Random(seed);
        int in = IN_CHANNELS;
        for (int l = 0; l < WIDTHS.length; l++) {
            weights.add(manager.create(heNormal(rng, WIDTHS[l], in, l == 0), new Shape(WIDTHS[l], in, 3, 3)));
            in = WIDTHS[l];
        }
        firstBias = manager.full(new Shape(WIDTHS[0]), FIRST_BIAS);
    }

    public RandomConvFeatures() {
        this(DEFAULT_SEED, DEFAULT_LAYERS);
    }

    /** He-normal 3×3 filters; with {@code zeroMean} each filter's mean is removed. */
    private static float[] heNormal(Random rng, int out, int in, boolean zeroMean) {
        int fanIn = in * 9;
        double std = Math.sqrt(2.0 / fanIn);
        float[] w = new float[out * fanIn];
        for (int o = 0; o < out; o++) {
            double mean = 0;
            for (int k = 0; k < fanIn; k++) {
                w[o * fanIn + k] = (float) (rng.nextGaussian() * std);
                mean += w[o * fanIn + k];
            }
            if (zeroMean) {
                for (int k = 0; k < fanIn; k++) {
                    w[o * fanIn + k] -= (float) (mean / fanIn);
                }
            }
        }
        return w;
    }

    @Override
    public NDList extract(NDArray images) {
        NDManager caller = images.getManager();
        int deepest = Arrays.stream(layers).max().orElseThrow();
        NDList selected = new NDList(layers.length);
        try (NDManager scratch = caller.newSubManager()) {
            NDArray x = images;
            if (images.getShape().get(1) != IN_CHANNELS) {
                x = images.repeat(1, IN_CHANNELS);
                x.attach(scratch);
            }
            NDArray[] outputs = new NDArray[deepest + 1];
            for (int l = 0; l <= deepest; l++) {
                NDArray bias = l == 0 ? firstBias : null;
                NDArray conv = Conv2d.conv2d(x, weights.get(l), bias, new Shape(1, 1), new Shape(1, 1)).singletonOrThrow();
                conv.attach(scratch);
                NDArray activated = Activation.relu(conv);
                activated.attach(scratch);
                x = Pool.avgPool2d(activated, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false, true);
                x.attach(scratch);
                outputs[l] = x;
            }
            for (int layer : layers) {
                selected.add(outputs[layer]);
            }
            selected.attach(caller);
        }
        return selected;
    }

    @Override
    public String name() {
        return "random-conv?seed=" + seed + "&layers="
                + Arrays.stream(layers).mapToObj(Integer::toString).collect(Collectors.joining(","));
    }

    @Override
    public void close() {
        manager.close();
    }
}
