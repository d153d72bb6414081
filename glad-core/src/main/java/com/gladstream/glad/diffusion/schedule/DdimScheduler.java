package com.gladstream.glad.diffusion.schedule;

import ai.djl.ndarray.NDArray;

/**
 * Deterministic DDIM sampling (η = 0) on a {@link NoiseSchedule}. A small stateless object: the
 * caller owns the loop, so reconstruction can swap in its own x0 estimate between steps.
 */
public final class DdimScheduler {

    private final NoiseSchedule schedule;

    public DdimScheduler(NoiseSchedule schedule) {
        this.schedule = schedule;
    }

    public NoiseSchedule schedule() {
        return schedule;
    }

    /**
     * The descending timesteps of a run from {@code maxStep}: {@code maxStep − i·stride} for
     * i = 0 … inferenceSteps−1 with {@code stride = max(1, maxStep / inferenceSteps)} (integer
     * division), keeping only values > 0. For 750 and 25 that is 750, 720, …, 30; after the last
     * one the sampler jumps to the clean image (timestep −1).
     */
    public int[] timesteps(int maxStep, int inferenceSteps) {
        if (maxStep <= 0 || maxStep >= schedule.trainSteps()) {
            throw new IllegalArgumentException("maxStep must be in (0, " + schedule.trainSteps() + "), got " + maxStep);
        }
        if (inferenceSteps < 1) {
            throw new IllegalArgumentException("inferenceSteps must be positive, got " + inferenceSteps);
        }
        int stride = Math.max(1, maxStep / inferenceSteps);
        int count = Math.min(inferenceSteps, (maxStep - 1) / stride + 1);
        int[] steps = new int[count];
        for (int i = 0; i < count; i++) {
            steps[i] = maxStep - i * stride;
        }
        return steps;
    }

    /** The timestep after {@code t} in {@code timesteps}, or −1 (clean) after the last one. */
    public int previous(int t, int[] timesteps) {
        for (int i = 0; i < timesteps.length; i++) {
            if (timesteps[i] == t) {
                return i + 1 < timesteps.length ? timesteps[i + 1] : -1;
            }
        }
        throw new IllegalArgumentException("timestep " + t + " is not in the schedule");
    }

    /**
     * One DDIM update to the previous timestep: √ᾱ_prev·x0 + √(1−ᾱ_prev)·ε̂, per sample. With
     * tPrev = −1 the result is x0 itself.
     */
    public NDArray step(NDArray x0, NDArray epsHat, int[] tPrev) {
        return schedule.addNoise(x0, epsHat, tPrev);
    }
}
