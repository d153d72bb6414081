package com.gladstream.glad.features;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * The small convolutional network behind {@code random-conv} and {@code learned} features: three 3×3
 * convolutions (32, 64, 128 channels), each followed by ReLU and 2×2 average pooling, so layer l has
 * stride 2^(l+1). Its weights are plain arrays by name ({@code conv0.weight}, {@code conv0.bias}, …):
 * drawn from a seed, or trained per category ({@code FeatureNetTrainer}) and stored with the model.
 * Gray images are repeated to three channels, so one set of weights serves both.
 */
public final class ConvFeatureNet {

    static final int[] WIDTHS = {32, 64, 128};
    public static final int LAYERS = WIDTHS.length;
    /** Every layer: the default of both extractors built on this network. */
    static final int[] ALL_LAYERS = {0, 1, 2};
    private static final int IN_CHANNELS = 3;
    /** Against responses of order 1 for an edge of full contrast in model space ([-1, 1]). */
    private static final float FIRST_BIAS = 0.1f;

    private ConvFeatureNet() {}

    /**
     * Weights from {@code seed}: He-normal filters; the first layer's have zero mean, so a uniform
     * change of brightness does not move the features, and a small positive bias, so a flat region
     * maps to a constant vector that matches another flat region (cosine needs a direction; zero has none).
     */
    public static Map<String, NDArray> randomWeights(NDManager manager, long seed) {
        Random rng = new Random(seed);
        Map<String, NDArray> weights = new LinkedHashMap<>();
        int in = IN_CHANNELS;
        for (int l = 0; l < LAYERS; l++) {
            weights.put(weightName(l), manager.create(heNormal(rng, WIDTHS[l], in, l == 0), weightShape(l)));
            weights.put(biasName(l), manager.full(new Shape(WIDTHS[l]), l == 0 ? FIRST_BIAS : 0f));
            in = WIDTHS[l];
        }
        return weights;
    }

    /**
     * @throws IllegalArgumentException naming the first missing or mis-shaped array of {@code weights}
     */
    public static void check(Map<String, NDArray> weights) {
        for (int l = 0; l < LAYERS; l++) {
            requireShape(weights, weightName(l), weightShape(l));
            requireShape(weights, biasName(l), new Shape(WIDTHS[l]));
        }
        if (weights.size() != 2 * LAYERS) {
            throw new IllegalArgumentException("feature network has unexpected arrays: " + weights.keySet());
        }
    }

    /**
     * Layer outputs 0 … {@code deepest} of {@code images} (N×C×H×W in model space), attached to the
     * images' manager. Records gradients when the weights require them.
     */
    public static NDArray[] forward(Map<String, NDArray> weights, NDArray images, int deepest) {
        NDArray x = images.getShape().get(1) == IN_CHANNELS ? images : images.repeat(1, IN_CHANNELS);
        NDArray[] outputs = new NDArray[deepest + 1];
        for (int l = 0; l <= deepest; l++) {
            NDArray conv = Conv2d.conv2d(x, weights.get(weightName(l)), weights.get(biasName(l)),
                    new Shape(1, 1), new Shape(1, 1)).singletonOrThrow();
            x = Pool.avgPool2d(Activation.relu(conv), new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false, true);
            outputs[l] = x;
        }
        return outputs;
    }

    /** The chosen layers' maps of {@code images}, attached to their manager; intermediates released. */
    static NDList features(Map<String, NDArray> weights, NDArray images, int[] layers) {
        NDManager caller = images.getManager();
        try (NDManager scratch = caller.newSubManager()) {
            scratch.tempAttachAll(images);
            NDArray[] outputs = forward(weights, images, Arrays.stream(layers).max().orElseThrow());
            NDList selected = new NDList(layers.length);
            for (int layer : layers) {
                selected.add(outputs[layer]);
            }
            selected.attach(caller);
            return selected;
        }
    }

    static int[] requireLayers(int[] layers) {
        if (layers.length == 0 || Arrays.stream(layers).anyMatch(l -> l < 0 || l >= LAYERS)) {
            throw new IllegalArgumentException("layers must be in [0, " + LAYERS + "), got " + Arrays.toString(layers));
        }
        return layers.clone();
    }

    /** {@code 0,1,2}: the layers as a spec writes them. */
    static String layerList(int[] layers) {
        return Arrays.stream(layers).mapToObj(Integer::toString).collect(Collectors.joining(","));
    }

    /** The stride of layer {@code l}'s maps. */
    public static int stride(int l) {
        return 1 << (l + 1);
    }

    private static String weightName(int l) {
        return "conv" + l + ".weight";
    }

    private static String biasName(int l) {
        return "conv" + l + ".bias";
    }

    private static Shape weightShape(int l) {
        return new Shape(WIDTHS[l], l == 0 ? IN_CHANNELS : WIDTHS[l - 1], 3, 3);
    }

    private static void requireShape(Map<String, NDArray> weights, String name, Shape shape) {
        NDArray array = weights.get(name);
        if (array == null) {
            throw new IllegalArgumentException("feature network has no array " + name);
        }
        if (!array.getShape().equals(shape)) {
            throw new IllegalArgumentException("feature network array " + name + " has shape " + array.getShape()
                    + ", expected " + shape);
        }
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
}
