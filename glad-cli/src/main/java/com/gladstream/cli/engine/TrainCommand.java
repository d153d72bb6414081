package com.gladstream.cli.engine;

import com.gladstream.glad.model.Directories;
import com.gladstream.glad.model.GladModel;
import com.gladstream.glad.model.ModelStore;
import com.gladstream.glad.training.CategoryTrainer;
import com.gladstream.glad.training.TrainingRecipe;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code glad train}: trains on a category's normal images, calibrates on its held-out normals, saves the model. */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description = {
            "Trains a diffusion model on a category's normal images, calibrates it and saves it.",
            "Trains on DIR/train/good minus the fixed held-out part, then calibrates the decision threshold and"
                    + " ADS's delta and t_min on the held-out normal images. Needs only DIR/train/good. Checkpoints go to"
                    + " MODEL_DIR.checkpoints; re-running the same command resumes from the latest one."
        })
public final class TrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "Category folder in the MVTec layout.")
    Path data;

    @Option(names = "--model-dir", required = true, paramLabel = "DIR", description = "Where the trained model is saved.")
    Path modelDir;

    @Option(names = "--preset", defaultValue = "cpu", paramLabel = "tiny|small|cpu|large",
            description = "Network size (default: ${DEFAULT-VALUE}).")
    String preset;

    @Option(names = "--steps", paramLabel = "N", description = "Optimiser steps (default: the preset's).")
    Integer steps;

    @Option(names = "--batch-size", paramLabel = "N", description = "Samples per step (default: the preset's).")
    Integer batchSize;

    @Option(names = "--resolution", paramLabel = "PX",
            description = "Shorter side images are resized to for the model, training crops taken from it (default: the"
                    + " preset's). Detection runs at this size: more pixels for small defects, at a cost per image that"
                    + " grows with its square.")
    Integer resolution;

    @Option(names = "--crop", paramLabel = "PX", description = "Random crop side for training; 0 = whole images (default: the preset's).")
    Integer crop;

    @Option(names = "--seed", defaultValue = "0", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--channels", defaultValue = "3", paramLabel = "1|3", description = "Gray (1) or RGB (3) model (default: ${DEFAULT-VALUE}).")
    int channels;

    @Option(names = "--atp", description = "Anomaly-oriented training: half the samples get a synthetic anomaly the model learns to remove.")
    boolean atp;

    @Option(names = "--textures", paramLabel = "DIR", description = "Texture images for ATP anomalies (default: the image itself, shuffled).")
    Path textures;

    @Option(names = "--from", paramLabel = "MODEL_DIR", description = "Fine-tune this model instead of starting from scratch.")
    Path from;

    @Option(names = "--features", paramLabel = "SPEC",
            description = "Feature extractor for anomaly maps: unet-encoder, pixel, random-conv, learned (a network trained here with the model),"
                    + " onnx:<file>, torchscript:<file>, <spec>+<spec> (layers of both), or trigger=<spec>;map=<spec> (default: ${DEFAULT-VALUE}).")
    String features = TrainingRecipe.DEFAULT_FEATURES;

    @Option(names = "--max-step", defaultValue = "" + TrainingRecipe.DEFAULT_MAX_STEP, paramLabel = "T|auto",
            description = {"Step inputs are noised to at detection (default: ${DEFAULT-VALUE}); auto: the best of",
                "100, 250, 500, 750 on held-out normals with synthetic anomalies (--textures), stored with the model."})
    String maxStep;

    @Option(names = "--inference-steps", defaultValue = "" + TrainingRecipe.DEFAULT_INFERENCE_STEPS, paramLabel = "S",
            description = "DDIM steps from T (default: ${DEFAULT-VALUE}).")
    int inferenceSteps;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (from != null && resolution != null) {
            throw new IllegalArgumentException("--resolution applies to a new model; fine-tuning keeps the network of --from");
        }
        GladModel base = from == null ? null : ModelStore.load(from);
        try {
            TrainingRecipe recipe = recipe(base == null ? preset : base.metadata().preset());
            try (GladModel model = base == null ? CategoryTrainer.trainAndCalibrate(data, recipe, out)
                    : CategoryTrainer.fineTuneAndCalibrate(base, data, recipe, out)) {
                ModelStore.save(model, modelDir);
            }
        } finally {
            if (base != null) {
                base.close();
            }
        }
        out.printf("saved model to %s%n", modelDir);
        out.flush();
        deleteCheckpoints();
        return 0;
    }

    /** The preset's training defaults (a fine-tuned model keeps its own preset), then the options given. */
    private TrainingRecipe recipe(String presetName) {
        TrainingRecipe defaults = TrainingRecipe.forPreset(presetName);
        return new TrainingRecipe(presetName,
                steps == null ? defaults.steps() : steps,
                batchSize == null ? defaults.batchSize() : batchSize,
                crop == null ? defaults.cropSize() : crop,
                seed, channels, atp, textures, features, maxStep(), inferenceSteps, checkpointDir(),
                resolution == null ? 0 : resolution);
    }

    private int maxStep() {
        if (maxStep.equalsIgnoreCase("auto")) {
            return TrainingRecipe.AUTO_MAX_STEP;
        }
        try {
            return Integer.parseInt(maxStep);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--max-step must be a step number or auto, got '" + maxStep + "'");
        }
    }

    private Path checkpointDir() {
        Path abs = modelDir.toAbsolutePath();
        return abs.resolveSibling(abs.getFileName() + ".checkpoints");
    }

    /** A finished model makes its checkpoints obsolete; leaving them would make the next run "resume" a finished one. */
    private void deleteCheckpoints() throws java.io.IOException {
        if (Files.exists(checkpointDir())) {
            Directories.deleteRecursively(checkpointDir());
        }
    }
}
