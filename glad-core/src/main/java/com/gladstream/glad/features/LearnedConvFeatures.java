package com.gladstream.glad.features;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import com.gladstream.glad.model.GladModel;
import java.util.Map;

/**
 * Features of the {@link ConvFeatureNet} trained for the model's category and stored with it: taught
 * to map the two ADS estimates of a normal image to the same features and to tell a synthetic
 * anomaly from the normal estimate it replaces (docs/DESIGN.md A.3). The model is not owned.
 */
public final class LearnedConvFeatures implements FeatureExtractor {

    static final int[] DEFAULT_LAYERS = ConvFeatureNet.ALL_LAYERS;

    private final Map<String, NDArray> weights;
    private final int[] layers;

    public LearnedConvFeatures(GladModel model, int[] layers) {
        this.layers = ConvFeatureNet.requireLayers(layers);
        this.weights = model.featureNet();
        if (weights.isEmpty()) {
            throw new IllegalArgumentException("model " + model.metadata().category()
                    + " has no learned feature network: train it with --features learned");
        }
        try {
            ConvFeatureNet.check(weights);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("model " + model.metadata().category() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public NDList extract(NDArray images) {
        return ConvFeatureNet.features(weights, images, layers);
    }

    @Override
    public String name() {
        return "learned?layers=" + ConvFeatureNet.layerList(layers);
    }
}
