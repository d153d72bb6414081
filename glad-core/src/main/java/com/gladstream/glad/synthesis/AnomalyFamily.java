package com.gladstream.glad.synthesis;

import com.gladstream.glad.image.ImageSize;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/** The kinds of synthetic anomaly a validation set can be made of (docs/DESIGN.md A.4). */
public enum AnomalyFamily {
    /** Perlin regions filled with textures or the shuffled image: what ATP and the learned features train on. */
    PERLIN,
    /** Thin scratches and small spots: a family no model here trains on. */
    SCRATCHES;

    /** The family named {@code name} in any case, e.g. {@code scratches}. */
    public static AnomalyFamily parse(String name) {
        return Arrays.stream(values()).filter(f -> f.name().equalsIgnoreCase(name.trim())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown anomaly family '" + name + "'; expected one of "
                        + Arrays.stream(values()).map(f -> f.name().toLowerCase(Locale.ROOT)).toList()));
    }

    /** This family's generator for images of {@code size}; {@code textures} (may be null) serves {@link #PERLIN}. */
    public AnomalyGenerator generator(Path textures, int channels, ImageSize size) {
        return switch (this) {
            case PERLIN -> AnomalySynthesizer.withDefaults(textures, channels, size);
            case SCRATCHES -> new ScratchSpotSynthesizer();
        };
    }
}
