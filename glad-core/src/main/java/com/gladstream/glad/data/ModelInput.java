package com.gladstream.glad.data;

import com.gladstream.glad.image.FloatImage;
import java.nio.file.Path;
import java.util.List;

/**
 * The one preprocessing path from a decoded image to what a model sees: the model's channel count,
 * then one bilinear resize straight from the decoded size to the model's square resolution.
 *
 * <p>Training, calibration, evaluation, {@code glad detect} and the streaming worker all go through
 * {@link #prepare}, so a held-out normal image during calibration and the same bytes arriving at
 * detection time give identical pixels. Resizing twice (to a display size, then to the model's) would
 * not: bilinear resizes do not compose.
 */
public final class ModelInput {

    private ModelInput() {}

    /**
     * @param decoded an image at its own size, gray or RGB in [0,1] (e.g. from {@link ImageLoader#decode})
     * @param channels the model's channel count: gray is replicated to RGB, RGB becomes luminance
     * @param resolution the model's square side
     * @return a new image of {@code channels}×{@code resolution}×{@code resolution}; the input is not changed
     */
    public static FloatImage prepare(FloatImage decoded, int channels, int resolution) {
        if (resolution < 1) {
            throw new IllegalArgumentException("resolution must be positive, got " + resolution);
        }
        return withChannels(decoded, channels).resize(resolution, resolution);
    }

    /** Reads a file at its own size and {@link #prepare}s it. */
    public static FloatImage load(Path file, int channels, int resolution) {
        return prepare(ImageLoader.load(file, channels), channels, resolution);
    }

    /** {@link #load} for every sample, in order. */
    public static List<FloatImage> loadAll(List<Sample> samples, int channels, int resolution) {
        return samples.stream().map(s -> load(s.path(), channels, resolution)).toList();
    }

    /** Gray is replicated to RGB; RGB becomes luminance with the weights {@link FloatImage} reads images with. */
    static FloatImage withChannels(FloatImage image, int channels) {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
        }
        if (image.channels() == channels) {
            return image;
        }
        int plane = image.pixels();
        float[] in = image.data();
        float[] out = new float[channels * plane];
        for (int i = 0; i < plane; i++) {
            if (channels == 3) {
                out[i] = in[i];
                out[plane + i] = in[i];
                out[2 * plane + i] = in[i];
            } else {
                out[i] = 0.299f * in[i] + 0.587f * in[plane + i] + 0.114f * in[2 * plane + i];
            }
        }
        return new FloatImage(channels, image.height(), image.width(), out);
    }
}
