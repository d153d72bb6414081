package com.gladstream.glad.diffusion.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** A square 2-D convolution with "same" padding (halved output when the stride is 2). */
final class Conv extends Layer {

    private final int outChannels;
    private final int kernel;
    private final int stride;
    private final Parameter weight;
    private final Parameter bias;

    Conv(int inChannels, int outChannels, int kernel, int stride, Init weightInit) {
        this.outChannels = outChannels;
        this.kernel = kernel;
        this.stride = stride;
        this.weight = parameter("weight", Parameter.Type.WEIGHT, new Shape(outChannels, inChannels, kernel, kernel), weightInit);
        this.bias = parameter("bias", Parameter.Type.BIAS, new Shape(outChannels), Init.ZEROS);
    }

    Conv(int inChannels, int outChannels, int kernel) {
        this(inChannels, outChannels, kernel, 1, Init.FAN_IN_UNIFORM);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray w = ps.getValue(weight, x.getDevice(), training);
        NDArray b = ps.getValue(bias, x.getDevice(), training);
        int pad = kernel / 2;
        return Conv2d.conv2d(x, w, b, new Shape(stride, stride), new Shape(pad, pad));
    }

    @Override
    long flops(Shape input) {
        Shape out = getOutputShapes(new Shape[] {input})[0];
        return 2L * input.get(1) * kernel * kernel * out.size();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), outChannels, ceilDiv(s.get(2)), ceilDiv(s.get(3)))};
    }

    private long ceilDiv(long size) {
        return (size + stride - 1) / stride;
    }
}
