package com.gladstream.glad.data;

import com.gladstream.glad.image.FloatImage;
import com.gladstream.glad.image.ImageSize;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Reads PNG, JPEG and BMP files (gray or colour, any size) into {@link FloatImage}s of the model's
 * channel count and a square size.
 *
 * <p>Gray input is replicated to three channels for an RGB model; colour input becomes luminance
 * for a gray model. Gray pixels are read from the raster, not through {@code getRGB}, which would
 * apply a linear-to-sRGB conversion and brighten them.
 */
public final class ImageLoader {

    /** Larger images are refused before decoding, so a crafted header cannot exhaust memory. */
    public static final long MAX_PIXELS = 64L * 1024 * 1024;

    private ImageLoader() {}

    /** Loads an image resized (bilinear) to size×size with the given channel count (1 or 3). */
    public static FloatImage load(Path file, int channels, int size) {
        return decode(readBytes(file), file.toString(), channels, size);
    }

    /** Loads an image at its own size with the given channel count (1 or 3). */
    public static FloatImage load(Path file, int channels) {
        return decode(readBytes(file), file.toString(), channels);
    }

    /** Decodes encoded image bytes; {@code source} names them in error messages. */
    public static FloatImage decode(byte[] encoded, String source, int channels, int size) {
        return decode(encoded, source, channels).resize(size, size);
    }

    /** Decodes encoded image bytes at their own size. */
    public static FloatImage decode(byte[] encoded, String source, int channels) {
        return decodeUntrusted(encoded, source, channels, MAX_PIXELS);
    }

    /**
     * Decodes untrusted bytes at their own size, refusing images of more than {@code maxPixels}
     * pixels from their header, before any pixel is decoded. Metadata (text chunks, ICC profiles,
     * EXIF) is skipped unread, so compressed text chunks cannot inflate into the heap.
     */
    public static FloatImage decodeUntrusted(byte[] encoded, String source, int channels, long maxPixels) {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
        }
        return toFloatImage(read(encoded, source, maxPixels), channels);
    }

    /**
     * Loads a ground-truth mask as H×W values in {0,1} at {@code size}: resized bilinearly, then
     * thresholded at 0.5, so masks of any size line up with images loaded at the same size.
     */
    public static float[] loadMask(Path file, ImageSize size) {
        float[] mask = toFloatImage(read(readBytes(file), file.toString(), MAX_PIXELS), 1)
                .resize(size.height(), size.width()).data();
        for (int i = 0; i < mask.length; i++) {
            mask[i] = mask[i] >= 0.5f ? 1f : 0f;
        }
        return mask;
    }

    /** The mask of a sample: its ground truth, or all zero for a good sample. */
    public static float[] loadMask(Sample sample, ImageSize size) {
        return sample.maskPath() == null ? new float[size.pixels()] : loadMask(sample.maskPath(), size);
    }

    /** Image files (PNG, JPEG, BMP) directly in a folder, by name; other files are ignored. */
    public static List<Path> listImages(Path folder) {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.filter(Files::isRegularFile).filter(ImageLoader::isImageFile).sorted().toList();
        } catch (NoSuchFileException e) {
            throw new DataException("missing folder " + folder);
        } catch (IOException e) {
            throw new DataException("cannot list " + folder + ": " + oneLine(e));
        }
    }

    static boolean isImageFile(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return !name.startsWith(".") && (name.endsWith(".png") || name.endsWith(".jpg")
                || name.endsWith(".jpeg") || name.endsWith(".bmp"));
    }

    /** An image file's size from its header alone; fails like {@link #load} on files that are not images. */
    public static ImageSize readSize(Path file) {
        try (ImageInputStream in = new FileImageInputStream(file.toFile())) {
            ImageReader reader = readerFor(in, file.toString());
            try {
                reader.setInput(in);
                checkSize(reader.getWidth(0), reader.getHeight(0), file.toString(), MAX_PIXELS);
                return new ImageSize(reader.getHeight(0), reader.getWidth(0));
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            throw new DataException("cannot read image " + file + ": " + oneLine(e));
        }
    }

    private static byte[] readBytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new DataException("image not found: " + file);
        } catch (IOException e) {
            throw new DataException("cannot read image " + file + ": " + oneLine(e));
        }
    }

    private static BufferedImage read(byte[] encoded, String source, long maxPixels) {
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(encoded))) {
            ImageReader reader = readerFor(in, source);
            try {
                reader.setInput(in, true, true);
                checkSize(reader.getWidth(0), reader.getHeight(0), source, maxPixels);
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            // Truncated or corrupt streams surface as IOExceptions or as runtime errors from the decoders.
            if (e instanceof DataException de) {
                throw de;
            }
            throw new DataException("corrupt or truncated image " + source + ": " + oneLine(e), e);
        }
    }

    private static ImageReader readerFor(ImageInputStream in, String source) {
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        if (!readers.hasNext()) {
            throw new DataException("not a readable image (PNG, JPEG or BMP expected): " + source);
        }
        return readers.next();
    }

    private static void checkSize(int width, int height, String source, long maxPixels) {
        if (width < 1 || height < 1) {
            throw new DataException("image has no pixels (" + width + "x" + height + "): " + source);
        }
        if ((long) width * height > maxPixels) {
            throw new ImageTooLargeException("image too large (" + width + "x" + height + "): " + source);
        }
    }

    private static FloatImage toFloatImage(BufferedImage img, int channels) {
        if (img.getColorModel().getNumColorComponents() != 1) {
            return FloatImage.fromBufferedImage(img, channels);
        }
        Raster raster = img.getRaster();
        int h = img.getHeight();
        int w = img.getWidth();
        float max = (1 << img.getColorModel().getComponentSize(0)) - 1;
        float[] gray = new float[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                gray[y * w + x] = raster.getSample(x, y, 0) / max;
            }
        }
        float[] data = new float[channels * h * w];
        for (int c = 0; c < channels; c++) {
            System.arraycopy(gray, 0, data, c * gray.length, gray.length);
        }
        return new FloatImage(channels, h, w, data);
    }

    private static String oneLine(Exception e) {
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return msg.replaceAll("\\s+", " ").trim();
    }
}
