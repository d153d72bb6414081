package com.gladstream.glad.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.gladstream.glad.data.ModelInput;
import com.gladstream.glad.diffusion.NoisePredictor;
import com.gladstream.glad.diffusion.schedule.NoiseSchedule;
import com.gladstream.glad.image.FloatImage;
import com.gladstream.glad.image.ImageSize;
import com.gladstream.glad.image.ImageTensors;
import com.gladstream.glad.model.GladModel;
import java.util.List;

/**
 * What detection needs of a diffusion model: its network, its schedule, and the image size and
 * channel count it works at.
 */
public record DenoisingModel(NoisePredictor network, NoiseSchedule schedule, ImageSize inputSize, int channels) {

    public DenoisingModel {
        if (inputSize == null || (channels != 1 && channels != 3)) {
            throw new IllegalArgumentException("invalid model geometry: " + inputSize + " px, " + channels + " channels");
        }
    }

    public static DenoisingModel of(GladModel model) {
        return new DenoisingModel(model, model.schedule(), model.config().inputSize(), model.config().inChannels());
    }

    /**
     * The images as the model sees them: N×C×H×W in [-1,1], through {@link ModelInput#prepare} (a no-op
     * for images already prepared for this model).
     */
    public NDArray toModelSpace(NDManager manager, List<FloatImage> images) {
        return ImageTensors.toModelSpace(manager, images.stream().map(this::fit).toList());
    }

    private FloatImage fit(FloatImage image) {
        return ModelInput.prepare(image, channels, inputSize);
    }
}
