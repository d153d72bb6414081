package com.gladstream.glad.diffusion.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * DDPM's residual block: GroupNorm → SiLU → conv, plus a projection of the time embedding, then
 * GroupNorm → SiLU → conv. The second conv starts at zero so a fresh block is the identity.
 * Inputs: (x N×in×H×W, time embedding N×E); output N×out×H×W.
 */
final class ResBlock extends NetworkBlock {

    private final int outChannels;
    private final int timeEmbeddingDim;
    private final GroupNorm norm1;
    private final Conv conv1;
    private final Dense timeProjection;
    private final GroupNorm norm2;
    private final Conv conv2;
    private final Conv skip;
    private final Kernels kernels;

    ResBlock(int inChannels, int outChannels, int timeEmbeddingDim, int groups, Kernels kernels) {
        this.outChannels = outChannels;
        this.timeEmbeddingDim = timeEmbeddingDim;
        this.kernels = kernels;
        norm1 = addChildBlock("norm1", new GroupNorm(inChannels, groups, kernels));
        conv1 = addChildBlock("conv1", new Conv(inChannels, outChannels, 3));
        timeProjection = addChildBlock("time", new Dense(timeEmbeddingDim, outChannels));
        norm2 = addChildBlock("norm2", new GroupNorm(outChannels, groups, kernels));
        conv2 = addChildBlock("conv2", new Conv(outChannels, outChannels, 3, 1, Layer.Init.ZEROS));
        skip = inChannels == outChannels ? null : addChildBlock("skip", new Conv(inChannels, outChannels, 1));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray timeEmbedding = inputs.get(1);
        boolean inPlace = kernels.overwrites(training);
        NDArray h = Blocks.apply(conv1, ps, training, Layer.silu(Blocks.apply(norm1, ps, training, x), inPlace));
        NDArray t = Blocks.apply(timeProjection, ps, training, Layer.silu(timeEmbedding, inPlace));
        NDArray perChannel = t.reshape(t.getShape().get(0), outChannels, 1, 1);
        h = inPlace ? h.addi(perChannel) : h.add(perChannel);
        h = Blocks.apply(conv2, ps, training, Layer.silu(Blocks.apply(norm2, ps, training, h), inPlace));
        NDArray residual = skip == null ? x : Blocks.apply(skip, ps, training, x);
        return new NDList(inPlace ? h.addi(residual) : residual.add(h));
    }

    /** For the image input; the time projection's share is counted from the batch size. */
    @Override
    long flops(Shape input) {
        Shape out = getOutputShapes(new Shape[] {input})[0];
        return conv1.flops(input) + timeProjection.flops(new Shape(input.get(0), timeEmbeddingDim))
                + conv2.flops(out) + (skip == null ? 0 : skip.flops(input));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), outChannels, s.get(2), s.get(3))};
    }
}
