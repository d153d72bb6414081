package com.gladstream.cli.engine;

import com.gladstream.glad.data.ImageLoader;
import com.gladstream.glad.data.MvtecCategory;
import com.gladstream.glad.data.Sample;
import com.gladstream.glad.data.TrainingAugmentation;
import com.gladstream.glad.diffusion.unet.UNetConfig;
import com.gladstream.glad.features.FeatureExtractor;
import com.gladstream.glad.features.FeatureExtractors;
import com.gladstream.glad.image.FloatImage;
import com.gladstream.glad.model.Calibration;
import com.gladstream.glad.model.Directories;
import com.gladstream.glad.model.GladModel;
import com.gladstream.glad.model.ModelStore;
import com.gladstream.glad.pipeline.DenoisingModel;
import com.gladstream.glad.pipeline.DetectorCalibrator;
import com.gladstream.glad.pipeline.DetectorSettings;
import com.gladstream.glad.pipeline.ReconstructionMode;
import com.gladstream.glad.reconstruction.AdsSettings;
import com.gladstream.glad.reconstruction.NoiseSeeds;
import com.gladstream.glad.scoring.AnomalyScorer;
import com.gladstream.glad.synthesis.AnomalySynthesizer;
import com.gladstream.glad.synthesis.SynthesisConfig;
import com.gladstream.glad.synthesis.TextureSource;
import com.gladstream.glad.training.DiffusionTrainer;
import com.gladstream.glad.training.TrainingConfig;
import com.gladstream.glad.training.TrainingData;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.Locale;
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
            "Trains a diffusion model on DIR/train/good (minus the fixed held-out part), calibrates the",
            "decision threshold and ADS's delta and t_min on the held-out normal images, and saves the model.",
            "Checkpoints go to MODEL_DIR.checkpoints; re-running the same command resumes from the latest one."
        })
public final class TrainCommand implements Callable<Integer> {

    /** DESIGN A.1's example schedule: noise to 750 of 1000, 25 DDIM steps. */
    static final int DEFAULT_MAX_STEP = 750;
    static final int DEFAULT_INFERENCE_STEPS = 25;
    private static final java.time.format.DateTimeFormatter VERSION_TIME =
            java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "Category folder in the MVTec layout.")
    Path data;

    @Option(names = "--model-dir", required = true, paramLabel = "DIR", description = "Where the trained model is saved.")
    Path modelDir;

    @Option(names = "--preset", defaultValue = "cpu", paramLabel = "tiny|cpu|large",
            description = "Network size (default: ${DEFAULT-VALUE}).")
    String preset;

    @Option(names = "--steps", paramLabel = "N", description = "Optimiser steps (default: the training default).")
    Integer steps;

    @Option(names = "--batch-size", paramLabel = "N", description = "Samples per step (default: the training default).")
    Integer batchSize;

    @Option(names = "--crop", paramLabel = "PX", description = "Random crop side for training; 0 = whole images.")
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
            description = "Feature extractor for anomaly maps: unet, pixel, onnx:<file>, torchscript:<file> (default: ${DEFAULT-VALUE}).")
    String features = "unet-encoder";

    @Option(names = "--max-step", defaultValue = "" + DEFAULT_MAX_STEP, paramLabel = "T",
            description = "Step inputs are noised to at detection (default: ${DEFAULT-VALUE}).")
    int maxStep;

    @Option(names = "--inference-steps", defaultValue = "" + DEFAULT_INFERENCE_STEPS, paramLabel = "S",
            description = "DDIM steps from T (default: ${DEFAULT-VALUE}).")
    int inferenceSteps;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        MvtecCategory category = MvtecCategory.open(data);
        UNetConfig network = UNetConfig.preset(preset, channels);
        GladModel base = from == null ? null : ModelStore.load(from);
        int resolution = base == null ? network.resolution() : base.config().resolution();
        int modelChannels = base == null ? channels : base.config().inChannels();

        List<FloatImage> images = load(category.trainSamples(), modelChannels, resolution);
        List<FloatImage> heldOut = load(category.heldOutSamples(), modelChannels, resolution);
        out.printf(Locale.ROOT, "training on %s: %d images (%d held out for calibration), %d px, preset %s%s%n",
                category.name(), images.size(), heldOut.size(), resolution, base == null ? preset : base.metadata().preset(),
                atp ? ", ATP" : "");
        out.flush();

        TrainingConfig config = trainingConfig(base == null ? preset : base.metadata().preset());
        DiffusionTrainer trainer = atp ? new DiffusionTrainer(config, synthesizer(modelChannels, resolution))
                : new DiffusionTrainer(config);
        TrainingData trainingData = new TrainingData(category.name(), images, category.dataHash());
        long start = System.nanoTime();
        GladModel trained = base == null ? trainer.train(trainingData, preset, network) : trainer.fineTune(base, trainingData);
        double trainSeconds = (System.nanoTime() - start) / 1e9;
        if (base != null) {
            base.close();
        }

        out.printf(Locale.ROOT, "trained in %.0f s; calibrating on %d held-out normal images%n", trainSeconds, heldOut.size());
        out.flush();
        try (GladModel model = trained; FeatureExtractor extractor = FeatureExtractors.create(features, model)) {
            DetectorSettings settings = new DetectorSettings(ReconstructionMode.GLAD, maxStep, inferenceSteps,
                    AdsSettings.of(Double.POSITIVE_INFINITY, 0), AnomalyScorer.Settings.DEFAULTS,
                    DetectorSettings.DEFAULT_BATCH_SIZE, Double.NaN);
            List<Long> seeds = NoiseSeeds.ofHeldOut(category);
            Calibration calibration = DetectorCalibrator.DEFAULT.calibrate(DenoisingModel.of(model), extractor, settings, heldOut, seeds);
            String version = category.name() + "-" + VERSION_TIME.format(java.time.LocalDateTime.now());
            try (GladModel calibrated = model.withMetadata(
                    model.metadata().withCalibration(calibration).withVersion(version))) {
                ModelStore.save(calibrated, modelDir);
            }
            DoubleSummaryStatistics deltas = calibration.adsDeltaPerStep().values().stream()
                    .mapToDouble(Double::doubleValue).summaryStatistics();
            out.printf(Locale.ROOT, "saved model to %s%n  threshold %.4f, ADS delta per step %.4f to %.4f (median %.4f),"
                            + " t_min %d, T %d, S %d, features %s%n",
                    modelDir, calibration.threshold(), deltas.getMin(), deltas.getMax(), calibration.adsDelta(),
                    calibration.adsMinStep(), calibration.maxStep(), calibration.inferenceSteps(),
                    calibration.featureExtractor());
        }
        deleteCheckpoints();
        return 0;
    }

    /** The preset's training defaults (a fine-tuned model keeps its own preset), then the options given. */
    private TrainingConfig trainingConfig(String presetName) {
        TrainingConfig.Builder b = TrainingConfig.forPreset(presetName)
                .seed(seed)
                .augmentation(TrainingAugmentation.NONE)
                .checkpoints(checkpointDir(), 200)
                .atpProbability(atp ? 0.5 : 0.0)
                .showProgress(true);
        if (steps != null) {
            b.steps(steps);
        }
        if (batchSize != null) {
            b.batchSize(batchSize);
        }
        if (crop != null) {
            b.cropSize(crop);
        }
        return b.build();
    }

    private AnomalySynthesizer synthesizer(int modelChannels, int resolution) {
        SynthesisConfig config = SynthesisConfig.defaults();
        return textures == null ? new AnomalySynthesizer(config)
                : new AnomalySynthesizer(config, TextureSource.load(textures, modelChannels, resolution));
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

    static List<FloatImage> load(List<Sample> samples, int channels, int size) {
        return samples.stream().map(s -> ImageLoader.load(s.path(), channels, size)).toList();
    }
}
