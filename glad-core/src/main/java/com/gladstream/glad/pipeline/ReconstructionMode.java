package com.gladstream.glad.pipeline;

/** How the detector reconstructs: GLAD's adaptive steps, or the fixed-step baseline of the ablation. */
public enum ReconstructionMode {
    /** ADS + SAFF from T (DESIGN A.1). */
    GLAD,
    /** Plain DDIM from T with no comparisons. */
    FIXED
}
