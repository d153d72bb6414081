package com.gladstream.glad.features;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.gladstream.glad.model.GladModel;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Features from our own diffusion network: the UNet encoder's maps of the image at a small fixed
 * timestep. The image is fed clean (not noised) so the maps are deterministic; at a small t the
 * network expects an almost clean input anyway.
 *
 * <p>Layers index the encoder outputs: 0 … levels−1 are the resolution levels (stride 2^level),
 * {@code levels} is the middle block. The default skips the full-resolution level, whose features
 * are too close to raw pixels: for the 3-level {@code cpu} preset that is strides 2, 4 and the
 * middle block (stride 4). The model is not owned: closing this extractor leaves it open.
 */
public final class UNetEncoderFeatures implements FeatureExtractor {

    public static final int DEFAULT_TIMESTEP = 20;

    private final GladModel model;
    private final int timestep;
    private final int[] layers;

    public UNetEncoderFeatures(GladModel model) {
        this(model, DEFAULT_TIMESTEP, defaultLayers(model));
    }

    public UNetEncoderFeatures(GladModel model, int timestep, int[] layers) {
        int available = model.config().levels() + 1;
        if (timestep < 0 || timestep >= model.schedule().trainSteps()) {
            throw new IllegalArgumentException("timestep " + timestep + " outside the model's schedule");
        }
        if (layers.length == 0 || Arrays.stream(layers).anyMatch(l -> l < 0 || l >= available)) {
            throw new IllegalArgumentException("layers must be in [0, " + available + "), got " + Arrays.toString(layers));
        }
        this.model = model;
        this.timestep = timestep;
        this.layers = layers.clone();
    }

    private static int[] defaultLayers(GladModel model) {
        int levels = model.config().levels();
        return levels == 1 ? new int[] {0, 1} : java.util.stream.IntStream.rangeClosed(1, levels).toArray();
    }

    @Override
    public NDList extract(NDArray images) {
        NDManager caller = images.getManager();
        try (NDManager scratch = caller.newSubManager()) {
            scratch.tempAttachAll(images);
            NDArray input = matchChannels(images, model.config().inChannels());
            int[] t = new int[(int) images.getShape().get(0)];
            Arrays.fill(t, timestep);
            NDList all = model.encoderFeatures(input, t);
            NDList selected = new NDList(layers.length);
            for (int layer : layers) {
                selected.add(all.get(layer));
            }
            selected.attach(caller);
            return selected;
        }
    }

    /** Gray to RGB by repetition, RGB to gray by luminance (ITU-R BT.601 weights). */
    private static NDArray matchChannels(NDArray images, int channels) {
        long have = images.getShape().get(1);
        if (have == channels) {
            return images;
        }
        if (have == 1) {
            return images.repeat(1, channels);
        }
        NDArray weights = images.getManager().create(new float[] {0.299f, 0.587f, 0.114f}, new Shape(1, 3, 1, 1));
        return images.mul(weights).sum(new int[] {1}, true);
    }

    @Override
    public String name() {
        return "unet-encoder?t=" + timestep + "&layers="
                + Arrays.stream(layers).mapToObj(Integer::toString).collect(Collectors.joining(","));
    }

    /** The layer indices in use, in output order. */
    public List<Integer> layers() {
        return Arrays.stream(layers).boxed().toList();
    }
}
