package com.gladstream.streams.validation;

import java.io.IOException;
import java.util.Iterator;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;

import com.gladstream.schemas.ImageEncoding;
import com.gladstream.schemas.RejectReason;

/**
 * The dimensions and pixel depth an encoded image declares in its header, read without decoding a
 * pixel, so a pixel-count bomb (a few kilobytes that inflate to gigabytes) costs no more than any
 * other header.
 *
 * @param bitsPerPixel bits of one decoded pixel in the file's own layout (48 for 16-bit RGB)
 */
public record ImageHeader(int width, int height, int bitsPerPixel) {

    public long pixels() {
        return (long) width * height;
    }

    /** Bytes the decoded pixels take, a pixel counting at least one byte. */
    public long decodedBytes() {
        return pixels() * Math.max(1, (bitsPerPixel + 7) / 8);
    }

    /**
     * Reads the header with the ImageIO reader for {@code encoding} only: content in another format
     * is not sniffed and accepted, it is a corrupt image of the declared encoding.
     */
    public static ImageHeader read(ImageInputStream input, ImageEncoding encoding) throws ImageRejectedException {
        ImageReader reader = readerFor(encoding);
        try {
            reader.setInput(input, true, true);
            int width = reader.getWidth(0);
            int height = reader.getHeight(0);
            Iterator<ImageTypeSpecifier> types = reader.getImageTypes(0);
            if (!types.hasNext()) {
                throw new ImageRejectedException(RejectReason.UNSUPPORTED_ENCODING,
                        encoding + " image with a pixel layout this service does not decode");
            }
            return new ImageHeader(width, height, types.next().getColorModel().getPixelSize());
        } catch (IOException | RuntimeException e) {
            throw new ImageRejectedException(RejectReason.CORRUPT_IMAGE,
                    "unreadable " + encoding + " header: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
        } finally {
            reader.dispose();
        }
    }

    private static ImageReader readerFor(ImageEncoding encoding) throws ImageRejectedException {
        String format = switch (encoding) {
            case PNG -> "png";
            case JPEG -> "jpeg";
            case BMP -> "bmp";
            case UNKNOWN -> throw new ImageRejectedException(RejectReason.UNSUPPORTED_ENCODING,
                    "encoding UNKNOWN: declare PNG, JPEG or BMP");
        };
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format);
        if (!readers.hasNext()) {
            throw new ImageRejectedException(RejectReason.UNSUPPORTED_ENCODING, "no " + encoding + " reader in this JVM");
        }
        return readers.next();
    }
}
