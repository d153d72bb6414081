package com.gladstream.glad.synthesis;

import com.gladstream.glad.image.FloatImage;

/**
 * An anomalous version of a normal image and where it differs.
 *
 * @param image the anomalous image, same shape as the normal one
 * @param mask H×W, row-major, 1 where the anomaly was pasted and 0 elsewhere (never all zero)
 */
public record SyntheticAnomaly(FloatImage image, float[] mask) {

    public SyntheticAnomaly {
        if (mask.length != image.pixels()) {
            throw new IllegalArgumentException("mask has " + mask.length + " values for a "
                    + image.width() + "x" + image.height() + " image");
        }
    }
}
