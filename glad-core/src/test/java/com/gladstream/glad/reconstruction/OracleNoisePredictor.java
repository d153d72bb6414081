package com.gladstream.glad.reconstruction;

import ai.djl.ndarray.NDArray;
import com.gladstream.glad.diffusion.NoisePredictor;
import com.gladstream.glad.diffusion.schedule.NoiseSchedule;

/**
 * A perfect model of one normal image x_n: it returns the noise that explains x_t as a noised x_n,
 * ε̂ = (x_t − √ᾱ_t·x_n)/√(1−ᾱ_t), so its clean estimate x̂_{t→0} is always exactly x_n. On an
 * input with an anomaly, the normal estimate therefore differs from the input exactly where the
 * anomaly is, which makes the reconstruction loop analytically checkable.
 */
final class OracleNoisePredictor implements NoisePredictor {

    private final NoiseSchedule schedule;
    private final float[] normal;

    OracleNoisePredictor(NoiseSchedule schedule, float[] normal) {
        this.schedule = schedule;
        this.normal = normal.clone();
    }

    @Override
    public NDArray predictNoise(NDArray noisy, int[] timesteps) {
        float[] xt = noisy.toFloatArray();
        int per = normal.length;
        float[] eps = new float[xt.length];
        for (int i = 0; i < timesteps.length; i++) {
            double alphaBar = schedule.alphaBar(timesteps[i]);
            for (int j = 0; j < per; j++) {
                eps[i * per + j] = (float) ((xt[i * per + j] - Math.sqrt(alphaBar) * normal[j]) / Math.sqrt(1 - alphaBar));
            }
        }
        return noisy.getManager().create(eps, noisy.getShape());
    }
}
