package com.gladstream.glad.training;

import com.gladstream.glad.image.FloatImage;
import java.util.List;

/**
 * The normal images of one category and where they came from.
 *
 * @param dataHash {@link com.gladstream.glad.model.DataHash} of the source files, recorded in the model
 */
public record TrainingData(String category, List<FloatImage> images, String dataHash) {

    public TrainingData {
        images = List.copyOf(images);
        if (images.isEmpty()) {
            throw new IllegalArgumentException("no training images for category " + category);
        }
        int channels = images.get(0).channels();
        if (images.stream().anyMatch(i -> i.channels() != channels)) {
            throw new IllegalArgumentException("training images of " + category + " mix gray and colour");
        }
    }

    public int channels() {
        return images.get(0).channels();
    }
}
