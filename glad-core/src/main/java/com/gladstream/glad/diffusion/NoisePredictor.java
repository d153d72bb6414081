package com.gladstream.glad.diffusion;

import ai.djl.ndarray.NDArray;

/**
 * ε_θ(x_t, t): a network that predicts the noise in a noised image. It knows nothing of sampling;
 * schedulers and reconstruction loops use it.
 */
public interface NoisePredictor {

    /**
     * @param noisy N×C×H×W images in model space at their timesteps
     * @param timesteps one training timestep per image (images in one call may be at different steps)
     * @return the predicted noise, N×C×H×W, attached to {@code noisy}'s manager
     */
    NDArray predictNoise(NDArray noisy, int[] timesteps);
}
