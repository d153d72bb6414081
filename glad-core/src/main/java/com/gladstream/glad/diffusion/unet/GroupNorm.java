package com.gladstream.glad.diffusion.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Group normalisation (Wu & He 2018), which DJL lacks: statistics over each group of channels and
 * all positions of one sample, then a per-channel affine transform. Independent of batch size and
 * image size, which matters for training on crops and inferring on whole images.
 */
final class GroupNorm extends Layer {

    private static final float EPSILON = 1e-5f;

    private final int channels;
    private final int groups;
    private final Parameter gamma;
    private final Parameter beta;
    private final Kernels kernels;

    GroupNorm(int channels, int groups, Kernels kernels) {
        if (channels % groups != 0) {
            throw new IllegalArgumentException(channels + " channels cannot form " + groups + " groups");
        }
        this.channels = channels;
        this.groups = groups;
        this.kernels = kernels;
        this.gamma = parameter("gamma", Parameter.Type.GAMMA, new Shape(channels), Init.ONES);
        this.beta = parameter("beta", Parameter.Type.BETA, new Shape(channels), Init.ZEROS);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray normalized = kernels.nativeGroupNorm() ? normalizeNatively(x) : normalizeElementwise(x);
        Shape perChannel = new Shape(1, channels, 1, 1);
        NDArray scale = onManagerOf(x, ps.getValue(gamma, x.getDevice(), training).reshape(perChannel));
        NDArray shift = onManagerOf(x, ps.getValue(beta, x.getDevice(), training).reshape(perChannel));
        return new NDList(kernels.overwrites(training) ? normalized.muli(scale).addi(shift) : normalized.mul(scale).add(shift));
    }

    /**
     * The classic construction: N×C×H×W viewed as 1×(N·G)×(C/G·H·W) is normalised per group and sample
     * by batch normalisation in training mode (batch statistics, biased variance, as group norm), one
     * native pass with its own fused backward instead of nine element-wise ones. Momentum 0 leaves the
     * throwaway running statistics alone.
     */
    private NDArray normalizeNatively(NDArray x) {
        Shape shape = x.getShape();
        NDManager manager = x.getManager();
        Shape rows = new Shape(shape.get(0) * groups);
        NDArray grouped = x.reshape(1, rows.get(0), -1);
        NDArray normalized = grouped.getNDArrayInternal().batchNorm(grouped,
                manager.zeros(rows), manager.ones(rows), manager.ones(rows), manager.zeros(rows),
                1, 0f, EPSILON, true).singletonOrThrow();
        return normalized.reshape(shape);
    }

    private NDArray normalizeElementwise(NDArray x) {
        Shape shape = x.getShape();
        NDArray grouped = x.reshape(shape.get(0), groups, -1);
        NDArray centered = grouped.sub(grouped.mean(new int[] {2}, true));
        NDArray variance = centered.square().mean(new int[] {2}, true);
        // The epsilon lives on the data's manager so it outlives backward (see docs/DESIGN.md C).
        NDArray std = variance.add(x.getManager().create(EPSILON)).sqrt();
        return centered.div(std).reshape(shape);
    }

    @Override
    long flops(Shape input) {
        return 0;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }
}
