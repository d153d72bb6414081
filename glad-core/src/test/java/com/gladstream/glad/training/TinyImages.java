package com.gladstream.glad.training;

import com.gladstream.glad.image.FloatImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Small structured images (oriented stripes with a bright disc) that a tiny UNet can learn quickly. */
final class TinyImages {

    private TinyImages() {}

    static List<FloatImage> generate(int count, int channels, int size, long seed) {
        Random rng = new Random(seed);
        List<FloatImage> images = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            double angle = rng.nextDouble() * Math.PI;
            double frequency = 0.3 + rng.nextDouble() * 0.2;
            double cx = size * (0.3 + 0.4 * rng.nextDouble());
            double cy = size * (0.3 + 0.4 * rng.nextDouble());
            FloatImage image = FloatImage.zeros(channels, size, size);
            for (int c = 0; c < channels; c++) {
                for (int y = 0; y < size; y++) {
                    for (int x = 0; x < size; x++) {
                        double stripes = 0.5 + 0.3 * Math.sin(frequency * (x * Math.cos(angle) + y * Math.sin(angle)) + c);
                        boolean disc = (x - cx) * (x - cx) + (y - cy) * (y - cy) < size * size / 25.0;
                        image.set(c, y, x, (float) (disc ? 0.95 : stripes));
                    }
                }
            }
            images.add(image);
        }
        return images;
    }

    static TrainingData data(int count, int channels, int size) {
        return new TrainingData("tiny", generate(count, channels, size, 11), "sha256:test");
    }
}
