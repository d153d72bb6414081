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

    GroupNorm(int channels, int groups) {
        if (channels % groups != 0) {
            throw new IllegalArgumentException(channels + " channels cannot form " + groups + " groups");
        }
        this.channels = channels;
        this.groups = groups;
        this.gamma = parameter("gamma", Parameter.Type.GAMMA, new Shape(channels), Init.ONES);
        this.beta = parameter("beta", Parameter.Type.BETA, new Shape(channels), Init.ZEROS);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        Shape shape = x.getShape();
        NDManager manager = x.getManager();
        NDArray grouped = x.reshape(shape.get(0), groups, -1);
        NDArray centered = grouped.sub(grouped.mean(new int[] {2}, true));
        NDArray variance = centered.square().mean(new int[] {2}, true);
        // The epsilon lives on the data's manager so it outlives backward (see docs/DESIGN.md C).
        NDArray std = variance.add(manager.create(EPSILON)).sqrt();
        NDArray normalized = centered.div(std).reshape(shape);
        Shape perChannel = new Shape(1, channels, 1, 1);
        NDArray scale = onManagerOf(x, ps.getValue(gamma, x.getDevice(), training).reshape(perChannel));
        NDArray shift = onManagerOf(x, ps.getValue(beta, x.getDevice(), training).reshape(perChannel));
        return new NDList(normalized.mul(scale).add(shift));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }
}
