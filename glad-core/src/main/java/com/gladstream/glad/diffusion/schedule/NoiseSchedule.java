package com.gladstream.glad.diffusion.schedule;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;

/**
 * The forward (noising) process q(x_t | x_0) over {@code trainSteps} training steps: the cumulative
 * products ᾱ_t of (1 − β_t), and the two closed forms every sampler and trainer needs.
 *
 * <p>Every tensor method takes one timestep per sample, so one batch may mix noise levels.
 * Timestep −1 means "clean" (ᾱ = 1): DDIM's last step lands there.
 */
public final class NoiseSchedule {

    private final ScheduleSpec spec;
    private final double[] alphaBar;

    private NoiseSchedule(ScheduleSpec spec, double[] betas) {
        this.spec = spec;
        this.alphaBar = new double[betas.length];
        double product = 1.0;
        for (int t = 0; t < betas.length; t++) {
            product *= 1.0 - betas[t];
            alphaBar[t] = product;
        }
    }

    /** DDPM's schedule: β linear from betaStart to betaEnd (usually 1e-4 .. 0.02). */
    public static NoiseSchedule linear(int trainSteps, double betaStart, double betaEnd) {
        return of(new ScheduleSpec(ScheduleSpec.Kind.LINEAR, trainSteps, betaStart, betaEnd));
    }

    /** Stable Diffusion's schedule: √β linear from √betaStart to √betaEnd (usually 0.00085 .. 0.012). */
    public static NoiseSchedule scaledLinear(int trainSteps, double betaStart, double betaEnd) {
        return of(new ScheduleSpec(ScheduleSpec.Kind.SCALED_LINEAR, trainSteps, betaStart, betaEnd));
    }

    public static NoiseSchedule of(ScheduleSpec spec) {
        int n = spec.trainSteps();
        double[] betas = new double[n];
        for (int t = 0; t < n; t++) {
            double fraction = n == 1 ? 0.0 : (double) t / (n - 1);
            betas[t] = switch (spec.kind()) {
                case LINEAR -> spec.betaStart() + fraction * (spec.betaEnd() - spec.betaStart());
                case SCALED_LINEAR -> {
                    double root = Math.sqrt(spec.betaStart())
                            + fraction * (Math.sqrt(spec.betaEnd()) - Math.sqrt(spec.betaStart()));
                    yield root * root;
                }
            };
        }
        return new NoiseSchedule(spec, betas);
    }

    public ScheduleSpec spec() {
        return spec;
    }

    public int trainSteps() {
        return alphaBar.length;
    }

    /** ᾱ_t for t in [0, trainSteps), and 1 for t = −1 (the clean image). */
    public double alphaBar(int t) {
        if (t == -1) {
            return 1.0;
        }
        if (t < 0 || t >= alphaBar.length) {
            throw new IllegalArgumentException("timestep " + t + " outside [-1, " + alphaBar.length + ")");
        }
        return alphaBar[t];
    }

    /** x_t = √ᾱ_t·x0 + √(1−ᾱ_t)·ε, one t per sample. */
    public NDArray addNoise(NDArray x0, NDArray noise, int[] t) {
        return combine(x0, noise, t, Math::sqrt, ab -> Math.sqrt(1.0 - ab));
    }

    /** x_{t→0} = (x_t − √(1−ᾱ_t)·ε̂)/√ᾱ_t, one t per sample. */
    public NDArray predictOriginal(NDArray xt, NDArray epsHat, int[] t) {
        return combine(xt, epsHat, t, ab -> 1.0 / Math.sqrt(ab), ab -> -Math.sqrt((1.0 - ab) / ab));
    }

    /**
     * a(ᾱ_t)·x + b(ᾱ_t)·y per sample. The coefficients are computed in double and broadcast as
     * N×1×1×1 arrays attached to {@code x}'s manager.
     */
    NDArray combine(NDArray x, NDArray y, int[] t, DoubleUnaryOperator a, DoubleUnaryOperator b) {
        long n = x.getShape().get(0);
        if (t.length != n) {
            throw new IllegalArgumentException(t.length + " timesteps for a batch of " + n);
        }
        float[] ca = new float[t.length];
        float[] cb = new float[t.length];
        for (int i = 0; i < t.length; i++) {
            double ab = alphaBar(t[i]);
            ca[i] = (float) a.applyAsDouble(ab);
            cb[i] = (float) b.applyAsDouble(ab);
        }
        NDManager manager = x.getManager();
        Shape perSample = perSampleShape(x.getShape());
        NDArray scaledX = x.mul(manager.create(ca, perSample));
        return scaledX.addi(y.mul(manager.create(cb, perSample)));
    }

    /** N×1×…×1 with the rank of {@code shape}, for broadcasting one value per sample. */
    static Shape perSampleShape(Shape shape) {
        long[] dims = new long[shape.dimension()];
        Arrays.fill(dims, 1);
        dims[0] = shape.get(0);
        return new Shape(dims);
    }
}
