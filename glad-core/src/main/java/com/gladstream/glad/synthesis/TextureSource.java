package com.gladstream.glad.synthesis;

import com.gladstream.glad.data.DataException;
import com.gladstream.glad.data.ImageLoader;
import com.gladstream.glad.data.ModelInput;
import com.gladstream.glad.image.FloatImage;
import com.gladstream.glad.image.ImageSize;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * Texture images (e.g. a folder of DTD textures) pasted into normal images as anomaly sources.
 * All textures are decoded once, at the model's channel count and size: a folder of 120 images
 * at 256 px RGB holds about 95 MB.
 */
public final class TextureSource {

    private final List<FloatImage> textures;

    public TextureSource(List<FloatImage> textures) {
        if (textures.isEmpty()) {
            throw new IllegalArgumentException("a texture source needs at least one texture");
        }
        this.textures = List.copyOf(textures);
    }

    /** Every image in the folder, prepared for a model of input size {@code size}. */
    public static TextureSource load(Path folder, int channels, ImageSize size) {
        List<Path> files = ImageLoader.listImages(folder);
        if (files.isEmpty()) {
            throw new DataException("no texture images in " + folder);
        }
        return new TextureSource(files.stream().map(f -> ModelInput.load(f, channels, size)).toList());
    }

    public int count() {
        return textures.size();
    }

    /** A uniformly drawn texture, resized to the requested size if needed. */
    FloatImage pick(Random rng, int channels, int height, int width) {
        FloatImage texture = textures.get(rng.nextInt(textures.size()));
        if (texture.channels() != channels) {
            throw new IllegalArgumentException("textures have " + texture.channels()
                    + " channels but the image has " + channels);
        }
        return texture.resize(height, width);
    }
}
