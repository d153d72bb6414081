package com.gladstream.glad.diffusion.unet;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.gladstream.glad.image.ImageSize;
import java.util.List;
import java.util.Locale;

/**
 * The shape of a {@link UNet}. The network is fully convolutional (attention works at any size),
 * so {@code resolution} and {@code aspect} give the size images are resized to for inference
 * ({@link #inputSize}); training may use smaller random crops of it.
 *
 * @param resolution the shorter side of model-space images; a multiple of 2^(levels−1)
 * @param inChannels 1 (gray) or 3 (RGB)
 * @param baseChannels channels of the first level; level i has baseChannels·channelMultipliers[i]
 * @param channelMultipliers one entry per resolution level, highest resolution first
 * @param resBlocksPerLevel residual blocks per level in the encoder (the decoder has one more)
 * @param attentionLevels level indices (0 = full resolution) whose blocks add self-attention
 * @param attentionHeads heads per attention block; must divide the channels of those levels
 * @param normGroups GroupNorm groups; must divide every level's channel count
 * @param aspect width/height of the category's images, kept so that defects are not squashed
 *     (docs/DESIGN.md A.6); 1 for square input (a stored model without it is square)
 */
public record UNetConfig(
        int resolution,
        int inChannels,
        int baseChannels,
        List<Integer> channelMultipliers,
        int resBlocksPerLevel,
        List<Integer> attentionLevels,
        int attentionHeads,
        int normGroups,
        double aspect) {

    public static final List<String> PRESETS = List.of("tiny", "small", "cpu", "large");

    @JsonCreator
    public UNetConfig {
        aspect = aspect == 0 ? 1 : aspect;
        if (!(aspect > 0) || Double.isInfinite(aspect)) {
            throw new IllegalArgumentException("aspect must be positive, got " + aspect);
        }
        channelMultipliers = List.copyOf(channelMultipliers);
        attentionLevels = List.copyOf(attentionLevels);
        if (inChannels != 1 && inChannels != 3) {
            throw new IllegalArgumentException("inChannels must be 1 or 3, got " + inChannels);
        }
        if (channelMultipliers.isEmpty() || resBlocksPerLevel < 1 || baseChannels < 1 || attentionHeads < 1) {
            throw new IllegalArgumentException("need at least one level, one res block, one channel and one head");
        }
        int downsampling = 1 << (channelMultipliers.size() - 1);
        if (resolution < downsampling || resolution % downsampling != 0) {
            throw new IllegalArgumentException("resolution " + resolution + " must be a multiple of " + downsampling);
        }
        for (int level = 0; level < channelMultipliers.size(); level++) {
            int channels = baseChannels * channelMultipliers.get(level);
            if (channels % normGroups != 0) {
                throw new IllegalArgumentException("level " + level + " has " + channels
                        + " channels, not divisible by normGroups " + normGroups);
            }
        }
        for (int level : attentionLevels) {
            if (level < 0 || level >= channelMultipliers.size()) {
                throw new IllegalArgumentException("attention level " + level + " does not exist");
            }
            int channels = baseChannels * channelMultipliers.get(level);
            if (channels % attentionHeads != 0) {
                throw new IllegalArgumentException("level " + level + " has " + channels
                        + " channels, not divisible by attentionHeads " + attentionHeads);
            }
        }
    }

    /** A network for square input. */
    public UNetConfig(int resolution, int inChannels, int baseChannels, List<Integer> channelMultipliers,
            int resBlocksPerLevel, List<Integer> attentionLevels, int attentionHeads, int normGroups) {
        this(resolution, inChannels, baseChannels, channelMultipliers, resBlocksPerLevel, attentionLevels,
                attentionHeads, normGroups, 1);
    }

    /** The same network for input of width/height {@code newAspect}. */
    public UNetConfig withAspect(double newAspect) {
        return new UNetConfig(resolution, inChannels, baseChannels, channelMultipliers, resBlocksPerLevel,
                attentionLevels, attentionHeads, normGroups, newAspect);
    }

    /** The same network for images of shorter side {@code newResolution} (docs/DESIGN.md A.6). */
    public UNetConfig withResolution(int newResolution) {
        return new UNetConfig(newResolution, inChannels, baseChannels, channelMultipliers, resBlocksPerLevel,
                attentionLevels, attentionHeads, normGroups, aspect);
    }

    /** The size images are prepared to for this network: shorter side {@code resolution}, the category's aspect. */
    public ImageSize inputSize() {
        return ImageSize.withAspect(resolution, aspect, sizeMultiple());
    }

    /** Channels of resolution level {@code level}. */
    public int channels(int level) {
        return baseChannels * channelMultipliers.get(level);
    }

    public int levels() {
        return channelMultipliers.size();
    }

    /** Side lengths fed to the network must be multiples of this. */
    public int sizeMultiple() {
        return 1 << (levels() - 1);
    }

    /**
     * A named preset for {@code inChannels}-channel images.
     *
     * <ul>
     *   <li>{@code tiny}: 32 px, ~0.18M parameters, for tests; a hundred steps take seconds.
     *   <li>{@code small}: 64 px with the {@code cpu} preset's widths (levels ×1/×2/×2, attention at
     *       16×16), for the demo and the quickstart, which must train in about two minutes
     *       ({@code TrainingRecipe.demo()}, docs/RESULTS.md).
     *   <li>{@code cpu}: the default. 128 px, base 32, levels ×1/×2/×2, attention at 32×32 (1.1M
     *       parameters), trained on 64 px crops for 2000 steps ({@code TrainingConfig.forPreset}).
     *       Crops cost 0.178× the time of whole 128 px images per step ({@code glad bench} section
     *       4, docs/BENCHMARKS.md), which keeps training within 30 minutes on two cores, while
     *       inference still sees 128 px.
     *   <li>{@code large}: 256 px, ADM-like widths, for GPUs.
     * </ul>
     */
    public static UNetConfig preset(String name, int inChannels) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "tiny" -> new UNetConfig(32, inChannels, 16, List.of(1, 2), 1, List.of(1), 2, 8);
            case "small" -> new UNetConfig(64, inChannels, 32, List.of(1, 2, 2), 1, List.of(2), 4, 8);
            case "cpu" -> new UNetConfig(128, inChannels, 32, List.of(1, 2, 2), 1, List.of(2), 4, 8);
            case "large" -> new UNetConfig(256, inChannels, 128, List.of(1, 1, 2, 2, 4), 2, List.of(3), 4, 32);
            default -> throw new IllegalArgumentException("unknown preset '" + name + "', expected one of " + PRESETS);
        };
    }
}
