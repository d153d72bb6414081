package com.gladstream.glad.synthesis;

/**
 * Parameters of {@link AnomalySynthesizer} (docs/DESIGN.md A.4).
 *
 * @param minScaleExponent the Perlin lattice has 2^e cells per axis, e drawn per axis uniformly
 *     from [minScaleExponent, maxScaleExponent)
 * @param maxScaleExponent exclusive upper bound of the scale exponent
 * @param minThreshold noise above a threshold drawn from [minThreshold, maxThreshold] becomes
 *     anomalous; higher thresholds give smaller, sparser masks
 * @param maxThreshold see minThreshold
 * @param maxOpacity the normal image shows through the pasted source with opacity β ~ U[0, maxOpacity)
 * @param textureProbability chance of a texture source rather than the shuffled image itself, when
 *     a texture folder is configured
 * @param foreground where anomalies may be placed
 * @param foregroundTolerance for {@link Foreground#BORDER_COLOUR}: how far (max over channels, in
 *     [0,1]) a pixel must differ from the border colour to count as object
 * @param minMaskFraction a mask covers at least this share of the image (never empty)
 * @param maxMaskFraction and at most this share
 */
public record SynthesisConfig(
        int minScaleExponent,
        int maxScaleExponent,
        float minThreshold,
        float maxThreshold,
        float maxOpacity,
        float textureProbability,
        Foreground foreground,
        float foregroundTolerance,
        float minMaskFraction,
        float maxMaskFraction) {

    /** Where anomalies may go. */
    public enum Foreground {
        /** Anywhere: textures and surfaces. */
        ANYWHERE,
        /** Only on pixels that differ from the image's border colour: objects on a plain background. */
        BORDER_COLOUR
    }

    public SynthesisConfig {
        if (minScaleExponent < 0 || maxScaleExponent <= minScaleExponent || maxScaleExponent > 10) {
            throw new IllegalArgumentException("scale exponents must satisfy 0 <= min < max <= 10, got ["
                    + minScaleExponent + ", " + maxScaleExponent + ")");
        }
        if (!(minThreshold > -1 && minThreshold <= maxThreshold && maxThreshold < 1)) {
            throw new IllegalArgumentException("thresholds must satisfy -1 < min <= max < 1, got "
                    + minThreshold + ".." + maxThreshold);
        }
        requireFraction("max opacity", maxOpacity);
        requireFraction("texture probability", textureProbability);
        requireFraction("foreground tolerance", foregroundTolerance);
        if (!(minMaskFraction > 0 && minMaskFraction < maxMaskFraction && maxMaskFraction <= 1)) {
            throw new IllegalArgumentException("mask fractions must satisfy 0 < min < max <= 1, got "
                    + minMaskFraction + ".." + maxMaskFraction);
        }
        if (foreground == null) {
            throw new IllegalArgumentException("foreground rule is required");
        }
    }

    /** DRAEM/MemSeg-like defaults: Perlin scale 2^[0,6), threshold 0.3–0.5, β ~ U[0, 0.8), mask 0.1–50%. */
    public static SynthesisConfig defaults() {
        return new SynthesisConfig(0, 6, 0.3f, 0.5f, 0.8f, 0.5f, Foreground.ANYWHERE, 0.1f, 0.001f, 0.5f);
    }

    public SynthesisConfig withForeground(Foreground rule) {
        return new SynthesisConfig(minScaleExponent, maxScaleExponent, minThreshold, maxThreshold, maxOpacity,
                textureProbability, rule, foregroundTolerance, minMaskFraction, maxMaskFraction);
    }

    private static void requireFraction(String name, float value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(name + " must be in [0,1], got " + value);
        }
    }
}
