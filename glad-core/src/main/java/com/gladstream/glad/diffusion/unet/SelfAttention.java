package com.gladstream.glad.diffusion.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Multi-head self-attention over all positions of a feature map, as a residual block. Works at
 * any spatial size; cost grows with (H·W)², so it is used at low resolution only.
 */
final class SelfAttention extends NetworkBlock {

    private final int channels;
    private final int heads;
    private final GroupNorm norm;
    private final Conv qkv;
    private final Conv projection;

    SelfAttention(int channels, int heads, int groups) {
        this.channels = channels;
        this.heads = heads;
        norm = addChildBlock("norm", new GroupNorm(channels, groups));
        qkv = addChildBlock("qkv", new Conv(channels, 3 * channels, 1));
        projection = addChildBlock("proj", new Conv(channels, channels, 1, 1, Layer.Init.ZEROS));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        Shape shape = x.getShape();
        long n = shape.get(0);
        long positions = shape.get(2) * shape.get(3);
        int headChannels = channels / heads;
        NDList qkvSplit = Blocks.apply(qkv, ps, training, Blocks.apply(norm, ps, training, x)).split(3, 1);
        // (N·heads) × headChannels × positions
        NDArray q = qkvSplit.get(0).reshape(n * heads, headChannels, positions);
        NDArray k = qkvSplit.get(1).reshape(n * heads, headChannels, positions);
        NDArray v = qkvSplit.get(2).reshape(n * heads, headChannels, positions);
        // Scale held as an array on the data's manager so it outlives backward (see docs/DESIGN.md C).
        NDArray scale = x.getManager().create((float) (1.0 / Math.sqrt(headChannels)));
        NDArray weights = q.transpose(0, 2, 1).mul(scale).batchMatMul(k).softmax(2); // positions × positions
        NDArray attended = v.batchMatMul(weights.transpose(0, 2, 1)).reshape(shape);
        return new NDList(x.add(Blocks.apply(projection, ps, training, attended)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }
}
