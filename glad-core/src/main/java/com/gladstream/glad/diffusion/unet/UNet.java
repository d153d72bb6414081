package com.gladstream.glad.diffusion.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The noise-prediction network ε_θ(x_t, t): a DDPM-style UNet with residual blocks, GroupNorm,
 * self-attention at the configured levels and skip connections between encoder and decoder.
 *
 * <p>Inputs: x_t (N×C×H×W, model space) and the timesteps as an N float vector; output: the
 * predicted noise, N×C×H×W. H and W may be any multiple of {@link UNetConfig#sizeMultiple()}.
 * Parameters are created by {@link #initialize(NDManager, long)} or set from a weights file; the
 * network knows nothing of schedules or sampling.
 */
public final class UNet extends NetworkBlock {

    private final UNetConfig config;
    private final Kernels kernels;
    private final TimestepEmbedding timeEmbedding;
    private final Conv inputConv;
    private final List<List<Stage>> encoderLevels = new ArrayList<>();
    private final List<Conv> downsamplers = new ArrayList<>();
    private final List<Stage> middle = new ArrayList<>();
    private final List<List<Stage>> decoderLevels = new ArrayList<>();
    private final List<Upsample> upsamplers = new ArrayList<>();
    private final GroupNorm outputNorm;
    private final Conv outputConv;

    public UNet(UNetConfig config) {
        this(config, Kernels.FAST);
    }

    /** A network computing its GroupNorm and attention with {@code kernels}; the numbers are the same either way. */
    public UNet(UNetConfig config, Kernels kernels) {
        this.config = config;
        this.kernels = kernels;
        int base = config.baseChannels();
        int timeDim = timeEmbeddingDim();
        int groups = config.normGroups();
        timeEmbedding = addChildBlock("time_embedding", new TimestepEmbedding(base, timeDim));
        inputConv = addChildBlock("input_conv", new Conv(config.inChannels(), base, 3));

        Deque<Integer> skipChannels = new ArrayDeque<>();
        skipChannels.push(base);
        int channels = base;
        for (int level = 0; level < config.levels(); level++) {
            List<Stage> stages = new ArrayList<>();
            for (int i = 0; i < config.resBlocksPerLevel(); i++) {
                stages.add(stage("down" + level + "_" + i, channels, level));
                channels = config.channels(level);
                skipChannels.push(channels);
            }
            encoderLevels.add(stages);
            if (level < config.levels() - 1) {
                downsamplers.add(addChildBlock("down" + level + "_downsample",
                        new Conv(channels, channels, 3, 2, Layer.Init.FAN_IN_UNIFORM)));
                skipChannels.push(channels);
            }
        }

        middle.add(stage("middle_0", channels, config.levels() - 1));
        ResBlock middleOut = addChildBlock("middle_1_res", new ResBlock(channels, channels, timeDim, groups, kernels));
        middle.add(new Stage(middleOut, null, kernels));

        for (int level = config.levels() - 1; level >= 0; level--) {
            List<Stage> stages = new ArrayList<>();
            for (int i = 0; i <= config.resBlocksPerLevel(); i++) {
                stages.add(stage("up" + level + "_" + i, channels + skipChannels.pop(), level));
                channels = config.channels(level);
            }
            decoderLevels.add(stages);
            if (level > 0) {
                upsamplers.add(addChildBlock("up" + level + "_upsample", new Upsample(channels)));
            }
        }
        outputNorm = addChildBlock("output_norm", new GroupNorm(channels, groups, kernels));
        outputConv = addChildBlock("output_conv", new Conv(channels, config.inChannels(), 3, 1, Layer.Init.ZEROS));
    }

    /** A residual block into level {@code level}'s width, with attention where the config asks for it. */
    private Stage stage(String name, int inChannels, int level) {
        int channels = config.channels(level);
        ResBlock res = addChildBlock(name + "_res",
                new ResBlock(inChannels, channels, timeEmbeddingDim(), config.normGroups(), kernels));
        SelfAttention attention = config.attentionLevels().contains(level)
                ? addChildBlock(name + "_attention", new SelfAttention(channels, config.attentionHeads(), config.normGroups(), kernels))
                : null;
        return new Stage(res, attention, kernels);
    }

    private int timeEmbeddingDim() {
        return 4 * config.baseChannels();
    }

    public UNetConfig config() {
        return config;
    }

    /** Creates every parameter from a seeded Java RNG (the same seed gives the same network). */
    public void initialize(NDManager manager, long seed) {
        Random rng = new Random(seed);
        for (Layer layer : layers(this, new ArrayList<>())) {
            layer.initialize(manager, rng);
        }
    }

    /** Every parameter's name (as in {@link #getParameters()}) and the shape this config requires. */
    public Map<String, Shape> parameterShapes() {
        Map<Parameter, Shape> byParameter = new LinkedHashMap<>();
        for (Layer layer : layers(this, new ArrayList<>())) {
            byParameter.putAll(layer.parameterShapes());
        }
        Map<String, Shape> shapes = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : getParameters()) {
            shapes.put(p.getKey(), byParameter.get(p.getValue()));
        }
        return shapes;
    }

    /**
     * Sets every parameter to a copy of {@code weights}' array of the same name, owned by {@code manager}.
     *
     * @throws IllegalArgumentException naming the first missing, unexpected or mis-shaped parameter
     */
    public void setWeights(NDManager manager, Map<String, NDArray> weights) {
        Map<String, Shape> expected = parameterShapes();
        for (Map.Entry<String, Shape> e : expected.entrySet()) {
            NDArray array = weights.get(e.getKey());
            if (array == null) {
                throw new IllegalArgumentException("parameter " + e.getKey() + " is missing");
            }
            if (!array.getShape().equals(e.getValue())) {
                throw new IllegalArgumentException("parameter " + e.getKey() + " has shape " + array.getShape()
                        + ", the config needs " + e.getValue());
            }
        }
        for (String name : weights.keySet()) {
            if (!expected.containsKey(name)) {
                throw new IllegalArgumentException("parameter " + name + " is not part of this config");
            }
        }
        for (Pair<String, Parameter> p : getParameters()) {
            NDArray copy = weights.get(p.getKey()).duplicate();
            copy.attach(manager);
            p.getValue().setArray(copy);
        }
    }

    public long parameterCount() {
        return parameterShapes().values().stream().mapToLong(Shape::size).sum();
    }

    private static List<Layer> layers(Block block, List<Layer> out) {
        if (block instanceof Layer layer) {
            out.add(layer);
        }
        for (Block child : block.getChildren().values()) {
            layers(child, out);
        }
        return out;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray temb = Blocks.apply(timeEmbedding, ps, training, inputs.get(1));
        Deque<NDArray> skips = new ArrayDeque<>();
        NDArray h = encode(ps, x, temb, training, skips, new NDList());
        for (int i = 0; i < decoderLevels.size(); i++) {
            for (Stage stage : decoderLevels.get(i)) {
                NDArray skip = skips.pop();
                NDArray joined = Blocks.scoped(kernels.releases(training), h, input -> stage.apply(ps, input.concat(skip, 1), temb, training));
                release(training, h, skip);
                h = joined;
            }
            if (i < upsamplers.size()) {
                NDArray upsampled = Blocks.apply(upsamplers.get(i), ps, training, h);
                release(training, h);
                h = upsampled;
            }
        }
        return new NDList(Blocks.scoped(kernels.releases(training), h, input ->
                Blocks.apply(outputConv, ps, training, Layer.silu(Blocks.apply(outputNorm, ps, training, input), kernels.overwrites(training)))));
    }

    /** At inference, frees activations the decoder has consumed (skips included) so their memory is reused. */
    private void release(boolean training, NDArray... consumed) {
        if (kernels.releases(training)) {
            for (NDArray array : consumed) {
                array.close();
            }
        }
    }

    /**
     * Encoder feature maps at timesteps {@code t} (inference mode): the output of every resolution
     * level, highest resolution first, then the middle block's. Level l has stride 2^l.
     */
    public NDList encoderFeatures(ParameterStore ps, NDArray x, NDArray t) {
        NDArray temb = Blocks.apply(timeEmbedding, ps, false, t);
        NDList features = new NDList();
        features.add(encode(ps, x, temb, false, new ArrayDeque<>(), features));
        return features;
    }

    /** Runs the encoder and middle block; pushes skip connections and collects each level's output. */
    private NDArray encode(ParameterStore ps, NDArray x, NDArray temb, boolean training,
                           Deque<NDArray> skips, NDList levelOutputs) {
        checkInput(x);
        NDArray h = Blocks.apply(inputConv, ps, training, x);
        skips.push(h);
        for (int level = 0; level < encoderLevels.size(); level++) {
            for (Stage stage : encoderLevels.get(level)) {
                h = stage.apply(ps, h, temb, training);
                skips.push(h);
            }
            levelOutputs.add(h);
            if (level < downsamplers.size()) {
                h = Blocks.apply(downsamplers.get(level), ps, training, h);
                skips.push(h);
            }
        }
        for (Stage stage : middle) {
            h = stage.apply(ps, h, temb, training);
        }
        return h;
    }

    /** Floating-point operations of one forward of N×C×H×W images (see {@link NetworkBlock#flops}). */
    public long flops(long images, long height, long width) {
        return flops(new Shape(images, config.inChannels(), height, width));
    }

    @Override
    long flops(Shape input) {
        Cost cost = new Cost(input);
        cost.add(timeEmbedding.flops(new Shape(input.get(0))));
        cost.through(inputConv).skip();
        for (int level = 0; level < encoderLevels.size(); level++) {
            encoderLevels.get(level).forEach(stage -> cost.through(stage).skip());
            if (level < downsamplers.size()) {
                cost.through(downsamplers.get(level)).skip();
            }
        }
        middle.forEach(cost::through);
        for (int i = 0; i < decoderLevels.size(); i++) {
            decoderLevels.get(i).forEach(stage -> cost.joinSkip().through(stage));
            if (i < upsamplers.size()) {
                cost.through(upsamplers.get(i));
            }
        }
        return cost.through(outputConv).total;
    }

    /** The running shape and operation count of a walk through the network in forward order. */
    private static final class Cost {
        private final Deque<Shape> skips = new ArrayDeque<>();
        private Shape shape;
        private long total;

        Cost(Shape input) {
            shape = input;
        }

        void add(long flops) {
            total += flops;
        }

        Cost through(NetworkBlock block) {
            total += block.flops(shape);
            shape = block.getOutputShapes(new Shape[] {shape})[0];
            return this;
        }

        Cost through(Stage stage) {
            total += stage.flops(shape);
            shape = stage.outputShape(shape);
            return this;
        }

        void skip() {
            skips.push(shape);
        }

        Cost joinSkip() {
            Shape skip = skips.pop();
            shape = new Shape(shape.get(0), shape.get(1) + skip.get(1), shape.get(2), shape.get(3));
            return this;
        }
    }

    private void checkInput(NDArray x) {
        Shape s = x.getShape();
        int multiple = config.sizeMultiple();
        if (s.dimension() != 4 || s.get(1) != config.inChannels() || s.get(2) % multiple != 0 || s.get(3) % multiple != 0) {
            throw new IllegalArgumentException("UNet expects N×" + config.inChannels()
                    + "×H×W with H and W multiples of " + multiple + ", got " + s);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
