package com.gladstream.glad.diffusion.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Multi-head self-attention over all positions of a feature map, as a residual block. Works at
 * any spatial size; cost grows with (H·W)², so it is used at low resolution only.
 */
final class SelfAttention extends NetworkBlock {

    /**
     * Score-matrix floats per attention chunk: 4 Mi floats (16 MiB), all heads of one 128 px image of
     * the cpu preset (4 × 1024²). A whole batch of 8 at once writes and re-reads 128 MiB per block,
     * which made batches slower per image than single images; chunks of one head (4 MiB, a core's L2
     * here) were slower still at batch 1, the smaller products and the extra calls costing more than
     * the cache saved (docs/BENCHMARKS.md, "Engine").
     */
    private static final long SCORES_PER_CHUNK = 4L << 20;

    private final int channels;
    private final int heads;
    private final GroupNorm norm;
    private final Conv qkv;
    private final Conv projection;
    private final Kernels kernels;

    SelfAttention(int channels, int heads, int groups, Kernels kernels) {
        this.channels = channels;
        this.heads = heads;
        this.kernels = kernels;
        norm = addChildBlock("norm", new GroupNorm(channels, groups, kernels));
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
        long pairs = n * heads;
        long pairsPerChunk = kernels.chunkedAttention() ? Math.max(1, SCORES_PER_CHUNK / (positions * positions)) : pairs;
        NDList attended = new NDList();
        for (long first = 0; first < pairs; first += pairsPerChunk) {
            NDIndex rows = new NDIndex("{}:{}", first, Math.min(pairs, first + pairsPerChunk));
            attended.add(Blocks.scoped(kernels.releases(training), q.get(rows), qRows -> attend(qRows, k.get(rows), v.get(rows), scale)));
        }
        NDArray joined = attended.size() == 1 ? attended.singletonOrThrow() : NDArrays.concat(attended, 0);
        NDArray projected = Blocks.apply(projection, ps, training, joined.reshape(shape));
        return new NDList(kernels.overwrites(training) ? projected.addi(x) : x.add(projected));
    }

    /** softmax(qᵀk·scale) applied to v, for (images·heads) × headChannels × positions slices. */
    private static NDArray attend(NDArray q, NDArray k, NDArray v, NDArray scale) {
        NDArray weights = q.transpose(0, 2, 1).mul(scale).batchMatMul(k).softmax(2); // positions × positions
        return v.batchMatMul(weights.transpose(0, 2, 1));
    }

    /** The 1×1 projections plus qᵀk and the weighted sum of v: N·P²·C multiply-adds each. */
    @Override
    long flops(Shape input) {
        long positions = input.get(2) * input.get(3);
        return qkv.flops(input) + projection.flops(input) + 2 * (2L * input.get(0) * positions * positions * channels);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }
}
