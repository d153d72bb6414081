package com.gladstream.streams;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

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
        return write(image, encoding.name().toLowerCase(Locale.ROOT));
    }

    private static byte[] write(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalArgumentException("no ImageIO writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] png(int width, int height) {
        return encoded(width, height, ImageEncoding.PNG);
    }

    /** A 16-bit-per-channel RGB PNG (48 bits per pixel) of {@code width × height}. */
    static byte[] png16(int width, int height) {
        ComponentColorModel model = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false,
                Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
        WritableRaster raster = model.createCompatibleWritableRaster(width, height);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                raster.setPixel(x, y, new int[] {x * 1000 % 65536, y * 1000 % 65536, 30000});
            }
        }
        return write(new BufferedImage(model, raster, false, null), "png");
    }

    /** A JPEG with four colour components (as CMYK scans are stored) of {@code width × height}. */
    static byte[] fourComponentJpeg(int width, int height) {
        WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, width, height, 4, null);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                raster.setPixel(x, y, new int[] {x * 8 % 256, y * 8 % 256, 40, 0});
            }
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.write(null, new IIOImage(raster, null, null), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    /** {@code jpeg} with its baseline frame marker (FFC0) replaced by {@code frameMarker}, e.g. 0xC9 (arithmetic). */
    static byte[] withFrameMarker(byte[] jpeg, int frameMarker) {
        byte[] copy = jpeg.clone();
        for (int i = 2; i + 1 < copy.length; i++) {
            if ((copy[i] & 0xff) == 0xFF && (copy[i + 1] & 0xff) == 0xC0) {
                copy[i + 1] = (byte) frameMarker;
                return copy;
            }
        }
        throw new IllegalArgumentException("no baseline frame marker in the JPEG");
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
