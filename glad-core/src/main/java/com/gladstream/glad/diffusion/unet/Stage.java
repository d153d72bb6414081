package com.gladstream.glad.diffusion.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

/** A residual block optionally followed by self-attention: the unit the UNet stacks per level. */
record Stage(ResBlock res, SelfAttention attention, Kernels kernels) {

    long flops(Shape input) {
        Shape out = res.getOutputShapes(new Shape[] {input})[0];
        return res.flops(input) + (attention == null ? 0 : attention.flops(out));
    }

    Shape outputShape(Shape input) {
        return res.getOutputShapes(new Shape[] {input})[0];
    }

    NDArray apply(ParameterStore ps, NDArray x, NDArray timeEmbedding, boolean training) {
        return Blocks.scoped(kernels.releases(training), x, input -> {
            NDArray h = Blocks.apply(res, ps, training, input, timeEmbedding);
            return attention == null ? h : Blocks.apply(attention, ps, training, h);
        });
    }
}
