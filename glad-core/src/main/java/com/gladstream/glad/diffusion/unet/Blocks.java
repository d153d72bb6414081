package com.gladstream.glad.diffusion.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

/** Calls a single-output block on arrays. */
final class Blocks {

    private Blocks() {}

    static NDArray apply(Block block, ParameterStore ps, boolean training, NDArray... inputs) {
        return block.forward(ps, new NDList(inputs), training).singletonOrThrow();
    }
}
