package com.gladstream.glad.diffusion.unet;

import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;

/**
 * Base of this network's blocks. Parameters are created explicitly ({@link UNet#initialize},
 * {@link UNet#setWeights}), never by DJL's shape inference, so a block is ready as soon as every
 * parameter has an array.
 */
abstract class NetworkBlock extends AbstractBlock {

    @Override
    public boolean isInitialized() {
        return getParameters().values().stream().allMatch(Parameter::isInitialized);
    }
}
