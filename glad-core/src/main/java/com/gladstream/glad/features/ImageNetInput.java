package com.gladstream.glad.features;

import ai.djl.modality.cv.Image;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * What an ImageNet-trained backbone expects: RGB in [0,1] normalised by the ImageNet mean and
 * standard deviation, height and width multiples of 32 (the backbones' total stride).
 */
final class ImageNetInput {

    private static final float[] MEAN = {0.485f, 0.456f, 0.406f};
    private static final float[] STD = {0.229f, 0.224f, 0.225f};
    static final int STRIDE = 32;

    private ImageNetInput() {}

    /**
     * @param modelSpace N×C×H×W in [-1,1], C = 1 (replicated to RGB) or 3
     * @param size the backbone input side; 0 resizes H and W to their nearest multiples of 32
     *     (resizing rather than padding, so no feature position sees an artificial border)
     * @return N×3×H'×W', on {@code modelSpace}'s manager
     */
    static NDArray prepare(NDArray modelSpace, int size) {
        Shape shape = modelSpace.getShape();
        long channels = shape.get(1);
        NDArray rgb = modelSpace.add(1f).div(2f);
        if (channels == 1) {
            rgb = rgb.repeat(1, 3);
        } else if (channels != 3) {
            throw new IllegalArgumentException("backbones take 1 or 3 channels, got " + shape);
        }
        NDArray mean = modelSpace.getManager().create(MEAN, new Shape(1, 3, 1, 1));
        NDArray std = modelSpace.getManager().create(STD, new Shape(1, 3, 1, 1));
        NDArray normalised = rgb.sub(mean).div(std);
        long height = size > 0 ? size : roundToStride(shape.get(2));
        long width = size > 0 ? size : roundToStride(shape.get(3));
        if (height % STRIDE != 0 || width % STRIDE != 0) {
            throw new IllegalArgumentException("backbone input size must be a multiple of " + STRIDE + ", got " + size);
        }
        if (height == shape.get(2) && width == shape.get(3)) {
            return normalised;
        }
        return normalised.getNDArrayInternal()
                .interpolation(new long[] {height, width}, Image.Interpolation.BILINEAR.ordinal(), false);
    }

    private static long roundToStride(long side) {
        return Math.max(STRIDE, Math.round(side / (double) STRIDE) * STRIDE);
    }
}
