package com.gladstream.glad.diffusion.unet;

/**
 * How the network computes, not what: each switch gives the same numbers within float rounding
 * ({@code UNetKernelsTest}). Every model runs {@link #FAST}; {@link #REFERENCE} is the network as
 * first written, kept as the baseline that the equality test and {@code glad bench engine} measure
 * each lever against (docs/DESIGN.md C.1).
 *
 * @param nativeGroupNorm GroupNorm as one native batch normalisation instead of nine element-wise passes
 * @param chunkedAttention attention in chunks of images whose score matrices stay small, instead of the whole
 *     batch at once
 * @param earlyRelease at inference, free each stage's intermediates and consumed skips as soon as they are used,
 *     instead of when the call ends
 * @param inPlace at inference, SiLU, the GroupNorm affine and the residual additions write into a temporary they
 *     own instead of allocating another
 */
public record Kernels(boolean nativeGroupNorm, boolean chunkedAttention, boolean earlyRelease, boolean inPlace) {

    public static final Kernels FAST = new Kernels(true, true, true, true);
    public static final Kernels REFERENCE = new Kernels(false, false, false, false);

    /** Whether a step's intermediates are freed when it returns: only at inference, where backward will not read them. */
    boolean releases(boolean training) {
        return earlyRelease && !training;
    }

    /** Whether temporaries may be overwritten: only at inference, where autograd keeps no reference to them. */
    boolean overwrites(boolean training) {
        return inPlace && !training;
    }
}
