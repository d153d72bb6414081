package com.gladstream.glad.features;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * Multi-layer feature maps F^l(x) used by the anomaly map D(a, b) (docs/DESIGN.md A.3). Implementations:
 * a pretrained backbone loaded by path, our own diffusion network's encoder, raw pixels, a small
 * convolutional network (random or trained per category), or one of these for the trigger and
 * another for the map ({@link TriggerAndMapFeatures}).
 */
public interface FeatureExtractor extends AutoCloseable {

    /**
     * @param images N×C×H×W in model space ([-1,1]); C is 1 or 3, implementations adapt channels
     * @return one N×C_l×h_l×w_l array per layer, attached to {@code images}' manager
     */
    NDList extract(NDArray images);

    /** A short stable name recorded in reports and model metadata, e.g. "onnx:mobilenetv2". */
    String name();

    /**
     * The features the ADS trigger compares the two estimates with (docs/DESIGN.md A.1); the final
     * anomaly map uses {@link #extract}. The same extractor unless a spec names two.
     */
    default FeatureExtractor forTrigger() {
        return this;
    }

    @Override
    default void close() {}
}
