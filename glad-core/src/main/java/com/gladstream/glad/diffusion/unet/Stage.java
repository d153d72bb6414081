package com.gladstream.glad.diffusion.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;

/** A residual block optionally followed by self-attention: the unit the UNet stacks per level. */
record Stage(ResBlock res, SelfAttention attention) {

    NDArray apply(ParameterStore ps, NDArray x, NDArray timeEmbedding, boolean training) {
        NDArray h = Blocks.apply(res, ps, training, x, timeEmbedding);
        return attention == null ? h : Blocks.apply(attention, ps, training, h);
    }
}
