package com.gladstream.glad.diffusion.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Transformer-style sinusoidal encoding of the timestep followed by a two-layer MLP.
 * Input: timesteps as an N float vector; output N×embeddingDim.
 */
final class TimestepEmbedding extends NetworkBlock {

    private final int sinusoidDim;
    private final int embeddingDim;
    private final Dense hidden;
    private final Dense out;

    TimestepEmbedding(int sinusoidDim, int embeddingDim) {
        if (sinusoidDim % 2 != 0) {
            throw new IllegalArgumentException("sinusoid dimension must be even, got " + sinusoidDim);
        }
        this.sinusoidDim = sinusoidDim;
        this.embeddingDim = embeddingDim;
        hidden = addChildBlock("hidden", new Dense(sinusoidDim, embeddingDim));
        out = addChildBlock("out", new Dense(embeddingDim, embeddingDim));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray t = inputs.singletonOrThrow();
        NDArray h = Blocks.apply(hidden, ps, training, sinusoids(t));
        return new NDList(Blocks.apply(out, ps, training, Layer.silu(h, false)));
    }

    /** [sin(t·f_i), cos(t·f_i)] with f_i = 10000^(−i/half). */
    private NDArray sinusoids(NDArray t) {
        int half = sinusoidDim / 2;
        float[] frequencies = new float[half];
        for (int i = 0; i < half; i++) {
            frequencies[i] = (float) Math.exp(-Math.log(10000.0) * i / half);
        }
        NDManager manager = t.getManager();
        NDArray angles = t.reshape(-1, 1).mul(manager.create(frequencies, new Shape(1, half)));
        return angles.sin().concat(angles.cos(), 1);
    }

    @Override
    long flops(Shape input) {
        long n = input.get(0);
        return hidden.flops(new Shape(n, sinusoidDim)) + out.flops(new Shape(n, embeddingDim));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), embeddingDim)};
    }
}
