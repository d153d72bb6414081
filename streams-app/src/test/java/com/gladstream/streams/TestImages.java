package com.gladstream.streams;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import javax.imageio.ImageIO;

import com.gladstream.schemas.ImageEncoding;
import com.gladstream.schemas.ImageEvent;
import com.gladstream.schemas.SampleLabel;

/** Images and image events drawn in code for the tests. */
final class TestImages {

    private TestImages() {}

    /** A small picture (a gradient and a rectangle) encoded as {@code encoding}. */
    static byte[] encoded(int width, int height, ImageEncoding encoding) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        for (int x = 0; x < width; x++) {
            g.setColor(new Color((x * 255) / Math.max(1, width - 1), 90, 160));
            g.drawLine(x, 0, x, height - 1);
        }
        g.setColor(Color.WHITE);
        g.fillRect(width / 4, height / 4, width / 2, height / 2);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, encoding.name().toLowerCase(Locale.ROOT), out)) {
                throw new IllegalArgumentException("no ImageIO writer for " + encoding);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] png(int width, int height) {
        return encoded(width, height, ImageEncoding.PNG);
    }

    static byte[] truncated(byte[] bytes, double keptFraction) {
        return Arrays.copyOf(bytes, (int) (bytes.length * keptFraction));
    }

    /** An unlabelled inline image event whose declared size matches {@code bytes}. */
    static ImageEvent.Builder event(String camera, String category, byte[] bytes, ImageEncoding encoding,
                                    int width, int height) {
        return ImageEvent.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setCameraId(camera)
                .setCategory(category)
                .setCaptureTime(Instant.parse("2025-03-01T08:00:00Z"))
                .setImageBytes(bytes == null ? null : ByteBuffer.wrap(bytes))
                .setImageUri(null)
                .setEncoding(encoding)
                .setWidth(width)
                .setHeight(height)
                .setLabel(SampleLabel.UNLABELED)
                .setAttributes(Map.of());
    }

    /** A valid inline PNG event of {@code width × height}. */
    static ImageEvent.Builder pngEvent(String camera, String category, int width, int height) {
        return event(camera, category, png(width, height), ImageEncoding.PNG, width, height);
    }
}
