package com.gladstream.glad.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.gladstream.glad.diffusion.NoisePredictor;
import com.gladstream.glad.diffusion.schedule.NoiseSchedule;
import com.gladstream.glad.image.FloatImage;
import com.gladstream.glad.image.ImageTensors;
import com.gladstream.glad.model.GladModel;
import java.util.List;

/**
 * What detection needs of a diffusion model: its network, its schedule, and the square image size
 * and channel count it works at.
 */
public record DenoisingModel(NoisePredictor network, NoiseSchedule schedule, int resolution, int channels) {

    public DenoisingModel {
        if (resolution <= 0 || (channels != 1 && channels != 3)) {
            throw new IllegalArgumentException("invalid model geometry: " + resolution + " px, " + channels + " channels");
        }
    }

    public static DenoisingModel of(GladModel model) {
        return new DenoisingModel(model, model.schedule(), model.config().resolution(), model.config().inChannels());
    }

    /** The images as the model sees them: N×C×R×R in [-1,1], resized and converted to the model's channels. */
    public NDArray toModelSpace(NDManager manager, List<FloatImage> images) {
        return ImageTensors.toModelSpace(manager, images.stream().map(this::fit).toList());
    }

    private FloatImage fit(FloatImage image) {
        return withChannels(image, channels).resize(resolution, resolution);
    }

    /** Gray is replicated to RGB; RGB becomes luminance with the weights {@link FloatImage} reads images with. */
    private static FloatImage withChannels(FloatImage image, int channels) {
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
