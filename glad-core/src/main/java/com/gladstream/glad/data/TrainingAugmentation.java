package com.gladstream.glad.data;

import com.gladstream.glad.image.FloatImage;
import java.util.Random;

/**
 * Per-category augmentation of training images, chosen to match what a category's normal images
 * may look like (a texture may be flipped or rotated freely, an object on a fixture usually not).
 * Never applied to held-out or test images.
 *
 * @param horizontalFlip mirror left-right with probability 1/2
 * @param verticalFlip mirror top-bottom with probability 1/2
 * @param rotate90 rotate by a uniformly drawn multiple of 90° (square images only)
 * @param brightnessJitter add a uniform offset in [-jitter, jitter] to all pixels, then clamp to [0,1]
 */
public record TrainingAugmentation(boolean horizontalFlip, boolean verticalFlip, boolean rotate90,
        float brightnessJitter) {

    public static final TrainingAugmentation NONE = new TrainingAugmentation(false, false, false, 0f);

    public TrainingAugmentation {
        if (!(brightnessJitter >= 0f && brightnessJitter <= 0.5f)) {
            throw new IllegalArgumentException("brightness jitter must be in [0, 0.5], got " + brightnessJitter);
        }
    }

    /** A new augmented image; the input is left unchanged. Deterministic for a given rng state. */
    public FloatImage apply(FloatImage image, Random rng) {
        boolean flipX = horizontalFlip && rng.nextBoolean();
        boolean flipY = verticalFlip && rng.nextBoolean();
        int quarterTurns = rotate90 && image.height() == image.width() ? rng.nextInt(4) : 0;
        float offset = brightnessJitter > 0 ? (rng.nextFloat() * 2 - 1) * brightnessJitter : 0f;

        int h = image.height();
        int w = image.width();
        FloatImage out = FloatImage.zeros(image.channels(), h, w);
        for (int c = 0; c < image.channels(); c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int sx = flipX ? w - 1 - x : x;
                    int sy = flipY ? h - 1 - y : y;
                    // Output (y, x) takes the source pixel that a counter-clockwise turn moves there.
                    for (int t = 0; t < quarterTurns; t++) {
                        int rotated = sy;
                        sy = sx;
                        sx = w - 1 - rotated;
                    }
                    float v = image.get(c, sy, sx) + offset;
                    out.set(c, y, x, Math.max(0f, Math.min(1f, v)));
                }
            }
        }
        return out;
    }
}
