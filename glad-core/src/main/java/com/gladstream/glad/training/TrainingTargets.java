package com.gladstream.glad.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.gladstream.glad.diffusion.schedule.NoiseSchedule;

/**
 * The network input and regression target of one batch, for plain and ATP training alike.
 *
 * <p>ATP (docs/DESIGN.md A.2, Eq. 10 with the sign of the original code): the anomalous image is blended
 * in with a strength growing with t, x_syn = x + (t/T)·(x^a − x); the input is
 * x_t^syn = √ᾱ_t·x_syn + √(1−ᾱ_t)·ε and the target ε + √ᾱ_t/√(1−ᾱ_t)·(x_syn − x), the noise that
 * maps x_t^syn back to the NORMAL x under x_{t→0}. Where a sample's anomalous image is its
 * normal image, x_syn = x and the target is ε: the plain diffusion loss.
 *
 * @param input x_t (or x_t^syn) per sample
 * @param target what ε_θ(input, t) should predict
 */
public record TrainingTargets(NDArray input, NDArray target) {

    public static TrainingTargets of(NoiseSchedule schedule, NDArray normal, NDArray anomalous, NDArray noise, int[] t) {
        int n = t.length;
        float[] blend = new float[n];
        float[] anomalyGain = new float[n];
        for (int i = 0; i < n; i++) {
            double alphaBar = schedule.alphaBar(t[i]);
            blend[i] = (float) t[i] / schedule.trainSteps();
            anomalyGain[i] = (float) Math.sqrt(alphaBar / (1.0 - alphaBar));
        }
        NDManager manager = normal.getManager();
        Shape perSample = new Shape(n, 1, 1, 1);
        NDArray synthetic = normal.add(anomalous.sub(normal).mul(manager.create(blend, perSample)));
        NDArray input = schedule.addNoise(synthetic, noise, t);
        NDArray target = noise.add(synthetic.sub(normal).mul(manager.create(anomalyGain, perSample)));
        return new TrainingTargets(input, target);
    }
}
