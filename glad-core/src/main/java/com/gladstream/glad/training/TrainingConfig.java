package com.gladstream.glad.training;

import com.gladstream.glad.data.TrainingAugmentation;
import com.gladstream.glad.diffusion.schedule.ScheduleSpec;
import java.nio.file.Path;

/**
 * How to train a diffusion model. Build with {@link #builder()}; every field has a default.
 *
 * @param steps total optimiser steps (a resumed or fine-tuning run stops at this many of its own)
 * @param batchSize samples per step
 * @param cropSize side of the random square crops taken from images at the model resolution;
 *     0 trains on whole images
 * @param augmentation per-category flips/rotations/brightness applied before cropping
 * @param learningRate AdamW learning rate after warmup (constant)
 * @param warmupSteps steps of linear learning-rate warmup from 0
 * @param weightDecay AdamW decoupled weight decay, applied to conv and linear weights only
 * @param emaDecay decay of the weight average used for inference
 * @param gradientClipNorm global L2 norm the gradients are clipped to; 0 disables clipping
 * @param seed fixes initial weights, batches, crops, timesteps and noise
 * @param checkpointEvery steps between checkpoints (the last step is always checkpointed)
 * @param checkpointDir where checkpoints go and are resumed from; null for none
 * @param atpProbability chance per sample of an ATP synthetic anomaly (docs/DESIGN.md A.2); 0 is plain training
 * @param schedule the noise schedule of a model trained from scratch
 * @param showProgress draw a progress bar on stderr
 */
public record TrainingConfig(
        int steps,
        int batchSize,
        int cropSize,
        TrainingAugmentation augmentation,
        double learningRate,
        int warmupSteps,
        double weightDecay,
        double emaDecay,
        double gradientClipNorm,
        long seed,
        int checkpointEvery,
        Path checkpointDir,
        double atpProbability,
        ScheduleSpec schedule,
        boolean showProgress) {

    public TrainingConfig {
        if (steps < 1 || batchSize < 1 || cropSize < 0 || warmupSteps < 0 || checkpointEvery < 1) {
            throw new IllegalArgumentException("steps, batch size and checkpoint interval must be positive,"
                    + " crop size and warmup non-negative");
        }
        if (!(learningRate > 0) || weightDecay < 0 || gradientClipNorm < 0) {
            throw new IllegalArgumentException("learning rate must be positive, weight decay and clip norm non-negative");
        }
        if (!(emaDecay >= 0 && emaDecay < 1) || !(atpProbability >= 0 && atpProbability <= 1)) {
            throw new IllegalArgumentException("emaDecay must be in [0,1) and atpProbability in [0,1]");
        }
        if (augmentation == null || schedule == null) {
            throw new IllegalArgumentException("augmentation and schedule are required");
        }
    }

    /** Learning rate at 1-based step {@code step}: linear warmup, then constant. */
    public double learningRateAt(long step) {
        return warmupSteps == 0 ? learningRate : learningRate * Math.min(1.0, (double) step / warmupSteps);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The recipe that goes with a {@link com.gladstream.glad.diffusion.unet.UNetConfig#preset}:
     * {@code cpu} trains 3000 steps on 64 px crops of its 128 px images (see the preset's
     * measurements); {@code tiny} 300 steps on whole images; {@code small} 400 steps on 32 px crops; {@code large} 100k steps on whole images.
     */
    public static Builder forPreset(String preset) {
        return switch (preset.toLowerCase(java.util.Locale.ROOT)) {
            case "tiny" -> builder().steps(300);
            case "small" -> builder().steps(400).cropSize(32);
            case "cpu" -> builder().steps(2000).cropSize(64);
            case "large" -> builder().steps(100_000).learningRate(1e-4).warmupSteps(1000).emaDecay(0.9999)
                    .checkpoints(null, 5000);
            default -> throw new IllegalArgumentException("unknown preset '" + preset + "'");
        };
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.steps = steps;
        b.batchSize = batchSize;
        b.cropSize = cropSize;
        b.augmentation = augmentation;
        b.learningRate = learningRate;
        b.warmupSteps = warmupSteps;
        b.weightDecay = weightDecay;
        b.emaDecay = emaDecay;
        b.gradientClipNorm = gradientClipNorm;
        b.seed = seed;
        b.checkpointEvery = checkpointEvery;
        b.checkpointDir = checkpointDir;
        b.atpProbability = atpProbability;
        b.schedule = schedule;
        b.showProgress = showProgress;
        return b;
    }

    public static final class Builder {
        private int steps = 3000;
        private int batchSize = 8;
        private int cropSize = 0;
        private TrainingAugmentation augmentation = TrainingAugmentation.NONE;
        private double learningRate = 5e-4;
        private int warmupSteps = 100;
        private double weightDecay = 0.01;
        private double emaDecay = 0.999;
        private double gradientClipNorm = 1.0;
        private long seed = 0;
        private int checkpointEvery = 500;
        private Path checkpointDir;
        private double atpProbability = 0;
        private ScheduleSpec schedule = ScheduleSpec.DDPM_LINEAR;
        private boolean showProgress = true;

        private Builder() {}

        public Builder steps(int v) { steps = v; return this; }
        public Builder batchSize(int v) { batchSize = v; return this; }
        public Builder cropSize(int v) { cropSize = v; return this; }
        public Builder augmentation(TrainingAugmentation v) { augmentation = v; return this; }
        public Builder learningRate(double v) { learningRate = v; return this; }
        public Builder warmupSteps(int v) { warmupSteps = v; return this; }
        public Builder weightDecay(double v) { weightDecay = v; return this; }
        public Builder emaDecay(double v) { emaDecay = v; return this; }
        public Builder gradientClipNorm(double v) { gradientClipNorm = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder checkpoints(Path dir, int every) { checkpointDir = dir; checkpointEvery = every; return this; }
        public Builder atpProbability(double v) { atpProbability = v; return this; }
        public Builder schedule(ScheduleSpec v) { schedule = v; return this; }
        public Builder showProgress(boolean v) { showProgress = v; return this; }

        public TrainingConfig build() {
            return new TrainingConfig(steps, batchSize, cropSize, augmentation, learningRate, warmupSteps,
                    weightDecay, emaDecay, gradientClipNorm, seed, checkpointEvery, checkpointDir, atpProbability,
                    schedule, showProgress);
        }
    }
}
