package com.gladstream.glad.image;

/**
 * Height and width of an image in pixels: the size a model works at, or the grid pixel metrics are
 * computed on. Cameras rarely give square images, so neither is square in general (docs/DESIGN.md A.6).
 */
public record ImageSize(int height, int width) {

    public ImageSize {
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
    }

    public static ImageSize square(int side) {
        return new ImageSize(side, side);
    }

    /**
     * The size with shorter side {@code shortSide} and width/height ratio {@code aspect}, the longer
     * side rounded to a multiple of {@code multiple} (at least {@code shortSide}).
     */
    public static ImageSize withAspect(int shortSide, double aspect, int multiple) {
        if (!(aspect > 0) || multiple < 1 || shortSide % multiple != 0) {
            throw new IllegalArgumentException("invalid size: short side " + shortSide + ", aspect " + aspect
                    + ", multiple " + multiple);
        }
        double ratio = aspect >= 1 ? aspect : 1 / aspect;
        int longSide = Math.max(shortSide, (int) Math.round(shortSide * ratio / multiple) * multiple);
        return aspect >= 1 ? new ImageSize(shortSide, longSide) : new ImageSize(longSide, shortSide);
    }

    /** This size's aspect with its shorter side at {@code shortSide} (the longer side rounded to a pixel). */
    public ImageSize withShortSide(int shortSide) {
        return withAspect(shortSide, aspect(), 1);
    }

    /** Width over height. */
    public double aspect() {
        return (double) width / height;
    }

    public int pixels() {
        return height * width;
    }

    /** The size of {@code image}. */
    public static ImageSize of(FloatImage image) {
        return new ImageSize(image.height(), image.width());
    }

    @Override
    public String toString() {
        return width + "x" + height;
    }
}
