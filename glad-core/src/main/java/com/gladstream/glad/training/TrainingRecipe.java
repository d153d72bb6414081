package com.gladstream.glad.training;

import com.gladstream.glad.diffusion.unet.UNetConfig;
import java.nio.file.Path;

/**
 * Everything {@link CategoryTrainer} needs to turn a category folder into a calibrated model: the
 * network, the training run, and the detection settings the model is calibrated for.
 *
 * @param preset network size ({@link UNetConfig#preset}); ignored when fine-tuning, which keeps the base's
 * @param steps optimiser steps
 * @param batchSize samples per step
 * @param cropSize side of the random training crops; 0 trains on whole images
 * @param seed fixes weights, batches and noise
 * @param channels 1 (gray) or 3 (RGB); ignored when fine-tuning
 * @param atp anomaly-oriented training (docs/DESIGN.md A.2) on half the samples
 * @param textures texture images for ATP anomalies, or null for the image itself shuffled
 * @param features feature extractor spec the model is calibrated with ({@code FeatureExtractors})
 * @param maxStep T, the step inputs are noised to at detection; {@link #AUTO_MAX_STEP} chooses it on
 *     validation data (held-out normals and synthetic anomalies) from {@link #MAX_STEP_CANDIDATES}
 * @param inferenceSteps S, DDIM steps from T
 * @param checkpointDir where checkpoints go and a run resumes from; null for none
 * @param resolution shorter side of model-space images, 0 for the preset's; ignored when fine-tuning
 *     (docs/DESIGN.md A.6)
 */
public record TrainingRecipe(String preset, int steps, int batchSize, int cropSize, long seed, int channels, boolean atp,
        Path textures, String features, int maxStep, int inferenceSteps, Path checkpointDir, int resolution) {

    /**
     * The feature extractor a model is calibrated with unless a recipe says otherwise: the network
     * trained per category, which every validation set prefers, also one of anomalies it never saw
     * (docs/RESULTS.md, "Validation on anomalies no model trained on").
     */
    public static final String DEFAULT_FEATURES = "learned";
    /** docs/DESIGN.md A.1's example schedule for the {@code cpu} preset: noise to 750 of 1000, 25 DDIM steps. */
    public static final int DEFAULT_MAX_STEP = 750;
    public static final int DEFAULT_INFERENCE_STEPS = 25;
    /** {@code maxStep} value that has {@link CategoryTrainer} choose T on validation data. */
    public static final int AUTO_MAX_STEP = 0;
    /** The T values tried when T is chosen on validation data, smallest first. */
    public static final java.util.List<Integer> MAX_STEP_CANDIDATES = java.util.List.of(100, 250, 500, 750);

    public TrainingRecipe {
        if (steps < 1 || batchSize < 1 || cropSize < 0) {
            throw new IllegalArgumentException("steps and batch size must be positive and the crop non-negative");
        }
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
        }
        if (maxStep != AUTO_MAX_STEP && (maxStep < 1 || inferenceSteps < 1 || inferenceSteps > maxStep)) {
            throw new IllegalArgumentException("need 1 <= S <= T, got T=" + maxStep + ", S=" + inferenceSteps);
        }
        if (inferenceSteps < 1) {
            throw new IllegalArgumentException("S must be positive, got " + inferenceSteps);
        }
        if (features == null || features.isBlank()) {
            throw new IllegalArgumentException("a feature extractor spec is required");
        }
        if (resolution < 0) {
            throw new IllegalArgumentException("resolution must be positive, or 0 for the preset's; got " + resolution);
        }
    }

    /** A recipe at the preset's resolution. */
    public TrainingRecipe(String preset, int steps, int batchSize, int cropSize, long seed, int channels, boolean atp,
            Path textures, String features, int maxStep, int inferenceSteps, Path checkpointDir) {
        this(preset, steps, batchSize, cropSize, seed, channels, atp, textures, features, maxStep, inferenceSteps,
                checkpointDir, 0);
    }

    /** The network this recipe trains from scratch: the preset's, at {@link #resolution} when set. */
    public UNetConfig network() {
        UNetConfig network = UNetConfig.preset(preset, channels);
        return resolution == 0 ? network : network.withResolution(resolution);
    }

    /** A preset's defaults ({@link TrainingConfig#forPreset}), RGB, no ATP, seed 0, T=750, S=25. */
    public static TrainingRecipe forPreset(String preset) {
        UNetConfig.preset(preset, 3);
        TrainingConfig training = TrainingConfig.forPreset(preset).build();
        return new TrainingRecipe(preset, training.steps(), training.batchSize(), training.cropSize(), 0L, 3, false,
                null, DEFAULT_FEATURES, DEFAULT_MAX_STEP, DEFAULT_INFERENCE_STEPS, null);
    }

    /**
     * What {@code glad demo} and {@code glad quickstart} train on the category they generate: the
     * {@code small} preset (64 px), 400 steps of batch 8 on 32 px crops with ATP, maps from raw
     * pixel patches, T=150 and S=10. Training plus calibration took 126–137 s on the two shared cores.
     * T and the features were chosen on the validation set (held-out normals and synthetic anomalies)
     * and confirmed on the generated test set; docs/RESULTS.md has the figures and commands.
     *
     * <p>The demo generates its category with
     * {@code DemoCategory.write(parentDir, seed)} ({@link com.gladstream.glad.data.synthetic.DemoCategory}),
     * then calls {@code CategoryTrainer.trainAndCalibrate(parentDir.resolve(DemoCategory.NAME), demo(), progress)}.
     */
    public static TrainingRecipe demo() {
        return new TrainingRecipe("small", 400, 8, 32, 0L, 3, true, null, "pixel", 150, 10, null);
    }

    public TrainingRecipe withSeed(long newSeed) {
        return new TrainingRecipe(preset, steps, batchSize, cropSize, newSeed, channels, atp, textures, features, maxStep,
                inferenceSteps, checkpointDir, resolution);
    }

    public TrainingRecipe withCheckpoints(Path dir) {
        return new TrainingRecipe(preset, steps, batchSize, cropSize, seed, channels, atp, textures, features, maxStep,
                inferenceSteps, dir, resolution);
    }
}
