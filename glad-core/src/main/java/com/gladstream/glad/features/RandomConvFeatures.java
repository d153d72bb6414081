package com.gladstream.glad.features;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.Map;

/**
 * Features of {@link ConvFeatureNet} with fixed random weights drawn from a seed. Random filters
 * respond to edges, spots and their orientations in many combinations, so the maps describe local
 * texture beyond raw pixels while depending on no trained file and no category (docs/DESIGN.md A.3).
 */
public final class RandomConvFeatures implements FeatureExtractor {

    static final int[] DEFAULT_LAYERS = ConvFeatureNet.ALL_LAYERS;
    static final int DEFAULT_SEED = 0;

    private final long seed;
    private final int[] layers;
    private final NDManager manager;
    private final Map<String, NDArray> weights;

    /**
     * @param seed the random weights' seed
     * @param layers which of the three layers to return, each in [0, 3)
     */
    public RandomConvFeatures(long seed, int[] layers) {
        this.layers = ConvFeatureNet.requireLayers(layers);
        this.seed = seed;
        this.manager = NDManager.newBaseManager("PyTorch");
        this.weights = ConvFeatureNet.randomWeights(manager, seed);
    }

    public RandomConvFeatures() {
        this(DEFAULT_SEED, DEFAULT_LAYERS);
    }

    @Override
    public NDList extract(NDArray images) {
        return ConvFeatureNet.features(weights, images, layers);
    }

    @Override
    public String name() {
        return "random-conv?seed=" + seed + "&layers=" + ConvFeatureNet.layerList(layers);
    }

    @Override
    public void close() {
        manager.close();
    }
}
