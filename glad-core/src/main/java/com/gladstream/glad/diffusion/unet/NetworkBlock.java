package com.gladstream.glad.diffusion.unet;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;

/**
 * Base of this network's blocks. Parameters are created explicitly ({@link UNet#initialize},
 * {@link UNet#setWeights}), never by DJL's shape inference, so a block is ready as soon as every
 * parameter has an array.
 */
abstract class NetworkBlock extends AbstractBlock {

    /**
     * Floating-point operations of one forward on an input of {@code input}'s shape, counting the
     * multiply-adds of convolutions, dense layers and attention products as two each; normalisation
     * and element-wise ops are not counted (under 1 % of the total for the presets).
     */
    abstract long flops(Shape input);

    @Override
    public boolean isInitialized() {
        return getParameters().values().stream().allMatch(Parameter::isInitialized);
    }
}
