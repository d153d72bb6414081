package com.gladstream.glad.data;

import com.gladstream.glad.image.FloatImage;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Writes images as 8-bit RGB PNGs and masks as 8-bit gray PNGs with values 0 and 255 (the MVTec convention). */
public final class PngWriter {

    private PngWriter() {}

    public static void writeImage(FloatImage image, Path file) throws IOException {
        write(image.toBufferedImage(), file);
    }

    /** A row-major H×W mask; values above 0.5 become 255. */
    public static void writeMask(float[] mask, int height, int width, Path file) throws IOException {
        write(maskImage(mask, height, width), file);
    }

    public static BufferedImage maskImage(float[] mask, int height, int width) {
        if (mask.length != height * width) {
            throw new IllegalArgumentException("mask has " + mask.length + " values, expected " + height + "x" + width);
        }
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        for (int p = 0; p < mask.length; p++) {
            img.getRaster().setSample(p % width, p / width, 0, mask[p] > 0.5f ? 255 : 0);
        }
        return img;
    }

    public static void write(BufferedImage image, Path file) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException("no PNG writer available for " + file);
        }
    }
}
