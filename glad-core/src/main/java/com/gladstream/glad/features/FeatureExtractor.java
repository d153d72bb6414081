package com.gladstream.glad.features;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * Multi-layer feature maps F^l(x) used by the anomaly map D(a, b) (docs/DESIGN.md A.3). Implementations:
 * a pretrained backbone loaded by path, or our own diffusion network's encoder.
 */
public interface FeatureExtractor extends AutoCloseable {

    /**
     * @param images N×C×H×W in model space ([-1,1]); C is 1 or 3, implementations adapt channels
     * @return one N×C_l×h_l×w_l array per layer, attached to {@code images}' manager
     */
    NDList extract(NDArray images);

    /** A short stable name recorded in reports and model metadata, e.g. "onnx:mobilenetv2". */
    String name();

    @Override
    default void close() {}
}
