package com.gladstream.glad.data.synthetic;

/**
 * What {@link SyntheticCategoryGenerator} writes.
 *
 * @param name the category folder's name
 * @param kind a textured surface or an object on a background
 * @param trainGood normal training images (train/good)
 * @param testGood normal test images (test/good)
 * @param testPerDefect test images per defect type
 * @param size image side in pixels
 * @param seed fixes every pixel: the same options always give the same files
 */
public record SyntheticCategoryOptions(String name, Kind kind, int trainGood, int testGood, int testPerDefect,
        int size, long seed) {

    public static final int MIN_SIZE = 32;

    public enum Kind {
        /** A wood-like surface whose grain, tone and noise vary from image to image. */
        TEXTURE,
        /** A metal hex nut on a light background, with small changes of pose and colour. */
        OBJECT
    }

    public SyntheticCategoryOptions {
        if (name == null || !name.matches("[A-Za-z0-9_.-]+") || name.startsWith(".")) {
            throw new IllegalArgumentException("category name must be letters, digits, '_', '-' or '.', got " + name);
        }
        if (kind == null) {
            throw new IllegalArgumentException("kind is required");
        }
        if (trainGood < 1 || testGood < 1 || testPerDefect < 1) {
            throw new IllegalArgumentException("need at least one image of each part, got train " + trainGood
                    + ", test good " + testGood + ", test per defect " + testPerDefect);
        }
        if (size < MIN_SIZE || size > 4096) {
            throw new IllegalArgumentException("size must be in [" + MIN_SIZE + ", 4096], got " + size);
        }
    }

    /** 40 training, 10 good test and 6 test images per defect at 256 px. */
    public static SyntheticCategoryOptions defaults(String name, Kind kind, long seed) {
        return new SyntheticCategoryOptions(name, kind, 40, 10, 6, 256, seed);
    }
}
