package com.gladstream.glad.pipeline;

/** How the detector reconstructs: GLAD's adaptive steps, or the fixed-step baseline of the ablation. */
public enum ReconstructionMode {
    /** ADS + SAFF from T (docs/DESIGN.md A.1). */
    GLAD,
    /** Plain DDIM from T with no comparisons. */
    FIXED
}
