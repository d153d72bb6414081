package com.gladstream.glad.data;

import com.gladstream.glad.image.FloatImage;
import com.gladstream.glad.image.ImageSize;
import java.nio.file.Path;
import java.util.List;

/**
 * The one preprocessing path from a decoded image to what a model sees: the model's channel count,
 * then one resize straight from the decoded size to the model's input size (which keeps the category's
 * aspect ratio, {@code UNetConfig#inputSize}, docs/DESIGN.md A.6). Along an axis
 * that shrinks, every output pixel is the area-weighted mean of the input pixels it covers, so a
 * defect a few pixels wide in a large camera image still reaches the model (a bilinear resize by 8×
 * would read 2 of every 8 rows and columns and could skip it); along an axis that grows it is
 * bilinear (align-corners false, as {@link FloatImage#resize}). At exactly half the size both agree.
 *
 * <p>Training, calibration, evaluation, {@code glad detect} and the streaming worker all go through
 * {@link #prepare}, so a held-out normal image during calibration and the same bytes arriving at
 * detection time give identical pixels. Resizing twice (to a display size, then to the model's) would
 * not: bilinear resizes do not compose.
 */
public final class ModelInput {

    private ModelInput() {}

    /**
     * @param decoded an image at its own size, gray or RGB in [0,1] (e.g. from {@link ImageLoader#decode})
     * @param channels the model's channel count: gray is replicated to RGB, RGB becomes luminance
     * @param size the model's input size
     * @return a new image of {@code channels}×height×width of {@code size}; the input is not changed
     */
    public static FloatImage prepare(FloatImage decoded, int channels, ImageSize size) {
        FloatImage image = withChannels(decoded, channels);
        if (ImageSize.of(image).equals(size)) {
            return image.copy();
        }
        return resample(image, Axis.of(image.height(), size.height()), Axis.of(image.width(), size.width()));
    }

    /** Reads a file at its own size and {@link #prepare}s it. */
    public static FloatImage load(Path file, int channels, ImageSize size) {
        return prepare(ImageLoader.load(file, channels), channels, size);
    }

    /** {@link #load} for every sample, in order. */
    public static List<FloatImage> loadAll(List<Sample> samples, int channels, ImageSize size) {
        return samples.stream().map(s -> load(s.path(), channels, size)).toList();
    }

    /** Separable resampling: rows through {@code ys}, columns through {@code xs}. */
    private static FloatImage resample(FloatImage in, Axis ys, Axis xs) {
        int h = in.height();
        int w = in.width();
        int oh = ys.size();
        int ow = xs.size();
        float[] src = in.data();
        float[] rows = new float[in.channels() * h * ow];
        float[] out = new float[in.channels() * oh * ow];
        for (int c = 0; c < in.channels(); c++) {
            for (int y = 0; y < h; y++) {
                int base = (c * h + y) * w;
                for (int x = 0; x < ow; x++) {
                    rows[(c * h + y) * ow + x] = xs.apply(src, base, 1, x);
                }
            }
            for (int y = 0; y < oh; y++) {
                for (int x = 0; x < ow; x++) {
                    out[(c * oh + y) * ow + x] = ys.apply(rows, c * h * ow + x, ow, y);
                }
            }
        }
        return new FloatImage(in.channels(), oh, ow, out);
    }

    /** For each output index along one axis, the input indices it reads and their weights (summing to 1). */
    private record Axis(int[][] index, float[][] weight) {

        int size() {
            return index.length;
        }

        float apply(float[] data, int offset, int stride, int i) {
            float sum = 0;
            for (int k = 0; k < index[i].length; k++) {
                sum += weight[i][k] * data[offset + index[i][k] * stride];
            }
            return sum;
        }

        static Axis of(int from, int to) {
            int[][] index = new int[to][];
            float[][] weight = new float[to][];
            double scale = (double) from / to;
            for (int i = 0; i < to; i++) {
                if (scale > 1) {
                    double start = i * scale;
                    double end = Math.min(from, (i + 1) * scale);
                    int first = (int) Math.floor(start);
                    int last = Math.min(from - 1, (int) Math.ceil(end) - 1);
                    index[i] = new int[last - first + 1];
                    weight[i] = new float[last - first + 1];
                    for (int p = first; p <= last; p++) {
                        double overlap = Math.min(end, p + 1) - Math.max(start, p);
                        index[i][p - first] = p;
                        weight[i][p - first] = (float) (overlap / (end - start));
                    }
                } else {
                    double f = Math.max(0, (i + 0.5) * scale - 0.5);
                    int p0 = Math.min((int) f, from - 1);
                    int p1 = Math.min(p0 + 1, from - 1);
                    float w1 = (float) (f - p0);
                    index[i] = new int[] {p0, p1};
                    weight[i] = new float[] {1 - w1, w1};
                }
            }
            return new Axis(index, weight);
        }
    }

    /** Gray is replicated to RGB; RGB becomes luminance with the weights {@link FloatImage} reads images with. */
    static FloatImage withChannels(FloatImage image, int channels) {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
        }
        if (image.channels() == channels) {
            return image;
        }
        int plane = image.pixels();
        float[] in = image.data();
        float[] out = new float[channels * plane];
        for (int i = 0; i < plane; i++) {
            if (channels == 3) {
                out[i] = in[i];
                out[plane + i] = in[i];
                out[2 * plane + i] = in[i];
            } else {
                out[i] = 0.299f * in[i] + 0.587f * in[plane + i] + 0.114f * in[2 * plane + i];
            }
        }
        return new FloatImage(channels, image.height(), image.width(), out);
    }
}
