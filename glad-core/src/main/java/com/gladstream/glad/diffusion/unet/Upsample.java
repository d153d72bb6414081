package com.gladstream.glad.diffusion.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** Nearest-neighbour ×2 upsampling followed by a 3×3 conv. */
final class Upsample extends NetworkBlock {

    private final Conv conv;

    Upsample(int channels) {
        conv = addChildBlock("conv", new Conv(channels, channels, 3));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        return conv.forward(ps, new NDList(x.repeat(2, 2).repeat(3, 2)), training);
    }

    @Override
    long flops(Shape input) {
        return conv.flops(getOutputShapes(new Shape[] {input})[0]);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), s.get(1), s.get(2) * 2, s.get(3) * 2)};
    }
}
