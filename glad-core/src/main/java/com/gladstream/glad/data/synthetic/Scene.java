package com.gladstream.glad.data.synthetic;

import com.gladstream.glad.image.FloatImage;

/**
 * A rendered normal image with what defects need to know about it.
 *
 * @param image the normal image
 * @param behind what shows through where material is missing: the background behind an object,
 *     or the backing board behind a surface
 * @param material H×W, 1 where the image shows the object or surface (all ones for a surface)
 */
record Scene(FloatImage image, FloatImage behind, float[] material) {}
