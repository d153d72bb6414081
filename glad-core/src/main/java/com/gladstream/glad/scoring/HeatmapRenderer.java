package com.gladstream.glad.scoring;

import com.gladstream.glad.image.FloatImage;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Renders an anomaly map as a jet-coloured overlay on its image. Map values are placed on a fixed
 * range [low, high] (e.g. 0 to twice the decision threshold), never normalised per image, so the
 * same colour means the same score on every heatmap.
 */
public final class HeatmapRenderer {

    private final double low;
    private final double high;
    private final double opacity;

    /**
     * @param low map value drawn as the coldest colour
     * @param high map value drawn as the hottest colour
     * @param opacity weight of the colour over the image, in [0, 1]
     */
    public HeatmapRenderer(double low, double high, double opacity) {
        if (!(high > low) || !(opacity >= 0 && opacity <= 1)) {
            throw new IllegalArgumentException("need low < high and opacity in [0,1], got " + low + ", " + high + ", "
                    + opacity);
        }
        this.low = low;
        this.high = high;
        this.opacity = opacity;
    }

    /** The overlay at the image's size (the map is resized to it if needed). */
    public BufferedImage overlay(FloatImage image, AnomalyMap map) {
        AnomalyMap fitted = map.height() == image.height() && map.width() == image.width()
                ? map
                : map.resize(image.height(), image.width());
        BufferedImage base = image.toBufferedImage();
        BufferedImage out = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < image.width(); x++) {
                int rgb = base.getRGB(x, y);
                int colour = jet((fitted.get(y, x) - low) / (high - low));
                out.setRGB(x, y, blend(rgb >> 16, colour >> 16) << 16 | blend(rgb >> 8, colour >> 8) << 8 | blend(rgb, colour));
            }
        }
        return out;
    }

    public void writePng(FloatImage image, AnomalyMap map, Path file) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            ImageIO.write(overlay(image, map), "png", file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write heatmap " + file, e);
        }
    }

    /** The jet colormap: blue (0) through cyan, yellow, to red (1); values outside are clamped. */
    static int jet(double value) {
        double v = Math.max(0, Math.min(1, value));
        int r = channel(1.5 - Math.abs(4 * v - 3));
        int g = channel(1.5 - Math.abs(4 * v - 2));
        int b = channel(1.5 - Math.abs(4 * v - 1));
        return r << 16 | g << 8 | b;
    }

    private int blend(int image, int colour) {
        return (int) Math.round((1 - opacity) * (image & 0xff) + opacity * (colour & 0xff));
    }

    private static int channel(double v) {
        return (int) Math.round(Math.max(0, Math.min(1, v)) * 255);
    }
}
