package com.gladstream.glad.reconstruction;

import ai.djl.ndarray.NDArray;
import com.gladstream.glad.diffusion.NoisePredictor;
import com.gladstream.glad.diffusion.schedule.NoiseSchedule;
import com.gladstream.glad.image.FloatImage;

/**
 * A perfect model of one normal image x_n: it returns the noise that explains x_t as a noised x_n,
 * ε̂ = (x_t − √ᾱ_t·x_n)/√(1−ᾱ_t), so its clean estimate x̂_{t→0} is always exactly x_n. On an
 * input with an anomaly, the normal estimate therefore differs from the input exactly where the
 * anomaly is, which makes the reconstruction loop analytically checkable.
 *
 * <p>x_n is a fixed smooth 1×32×32 pattern; {@link #withSquare} puts an anomaly on it.
 */
public final class OracleNoisePredictor implements NoisePredictor {

    public static final int SIZE = 32;
    public static final NoiseSchedule SCHEDULE = NoiseSchedule.linear(1000, 1e-4, 0.02);
    /** x_n in model space. */
    public static final float[] NORMAL = normalImage();

    @Override
    public NDArray predictNoise(NDArray noisy, int[] timesteps) {
        float[] xt = noisy.toFloatArray();
        int per = NORMAL.length;
        float[] eps = new float[xt.length];
        for (int i = 0; i < timesteps.length; i++) {
            double alphaBar = SCHEDULE.alphaBar(timesteps[i]);
            for (int j = 0; j < per; j++) {
                eps[i * per + j] = (float) ((xt[i * per + j] - Math.sqrt(alphaBar) * NORMAL[j]) / Math.sqrt(1 - alphaBar));
            }
        }
        return noisy.getManager().create(eps, noisy.getShape());
    }

    /** x_n (model space) with a side×side square of value 0.8 at (18,18); x_n itself for side 0. */
    public static float[] withSquare(int side) {
        float[] v = NORMAL.clone();
        for (int y = 18; y < 18 + side; y++) {
            for (int x = 18; x < 18 + side; x++) {
                v[y * SIZE + x] = 0.8f;
            }
        }
        return v;
    }

    /** A model-space array as a 1-channel image in [0,1]. */
    public static FloatImage image(float[] modelSpace) {
        float[] v = new float[modelSpace.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = (modelSpace[i] + 1f) / 2f;
        }
        return new FloatImage(1, SIZE, SIZE, v);
    }

    private static float[] normalImage() {
        float[] v = new float[SIZE * SIZE];
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                v[y * SIZE + x] = (float) (0.4 * Math.sin(x / 3.0) * Math.cos(y / 5.0));
            }
        }
        return v;
    }
}
