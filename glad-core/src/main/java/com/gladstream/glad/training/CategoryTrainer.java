package com.gladstream.glad.training;

import com.gladstream.glad.data.ModelInput;
import com.gladstream.glad.data.MvtecCategory;
import com.gladstream.glad.diffusion.unet.UNetConfig;
import com.gladstream.glad.features.FeatureExtractor;
import com.gladstream.glad.features.FeatureExtractors;
import com.gladstream.glad.image.FloatImage;
import com.gladstream.glad.model.Calibration;
import com.gladstream.glad.model.GladModel;
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
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.Locale;

/**
 * From a category folder to a calibrated model, the one path of {@code glad train}, the demo and
 * the retraining loop: train on train/good minus its held-out part, then calibrate the threshold,
 * δ_t and t_min on the held-out normal images. Needs only train/good. The caller saves or
 * publishes the returned model ({@code ModelStore.save}/{@code publish}) and closes it.
 */
public final class CategoryTrainer {

    private static final DateTimeFormatter VERSION_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    private static final double PROGRESS_SECONDS = 10;

    private CategoryTrainer() {}

    /** A new model of the recipe's preset and channels, trained and calibrated. */
    public static GladModel trainAndCalibrate(Path categoryDir, TrainingRecipe recipe, PrintWriter progress) {
        return run(categoryDir, recipe, null, progress, List.of());
    }

    /** {@code base} fine-tuned on the category (its network, channels and schedule kept), then calibrated. */
    public static GladModel fineTuneAndCalibrate(GladModel base, Path categoryDir, TrainingRecipe recipe,
            PrintWriter progress) {
        return run(categoryDir, recipe, base, progress, List.of());
    }

    /** As {@link #fineTuneAndCalibrate(GladModel, Path, TrainingRecipe, PrintWriter)}, with listeners on every step. */
    public static GladModel fineTuneAndCalibrate(GladModel base, Path categoryDir, TrainingRecipe recipe,
            PrintWriter progress, List<TrainingListener> listeners) {
        return run(categoryDir, recipe, base, progress, listeners);
    }

    private static GladModel run(Path categoryDir, TrainingRecipe recipe, GladModel base, PrintWriter progress,
            List<TrainingListener> listeners) {
        MvtecCategory category = MvtecCategory.open(categoryDir);
        String preset = base == null ? recipe.preset() : base.metadata().preset();
        UNetConfig network = base == null ? UNetConfig.preset(recipe.preset(), recipe.channels()) : base.config();
        int resolution = network.resolution();
        int channels = network.inChannels();
        List<FloatImage> images = ModelInput.loadAll(category.trainSamples(), channels, resolution);
        List<FloatImage> heldOut = ModelInput.loadAll(category.heldOutSamples(), channels, resolution);
        progress.printf(Locale.ROOT, "training on %s: %d images (%d held out for calibration), %d px, preset %s,"
                        + " %d steps%s%n", category.name(), images.size(), heldOut.size(), resolution, preset,
                recipe.steps(), recipe.atp() ? ", ATP" : "");
        progress.flush();

        TrainingConfig config = TrainingConfig.forPreset(preset)
                .steps(recipe.steps())
                .batchSize(recipe.batchSize())
                .cropSize(recipe.cropSize())
                .seed(recipe.seed())
                .checkpoints(recipe.checkpointDir(), 200)
                .atpProbability(recipe.atp() ? 0.5 : 0.0)
                .showProgress(false)
                .build();
        DiffusionTrainer trainer = recipe.atp()
                ? new DiffusionTrainer(config, synthesizer(recipe.textures(), channels, resolution))
                : new DiffusionTrainer(config);
        trainer.addListener(new ProgressBar(progress, false, PROGRESS_SECONDS));
        listeners.forEach(trainer::addListener);
        TrainingData data = new TrainingData(category.name(), images, category.dataHash());
        long start = System.nanoTime();
        GladModel trained = base == null ? trainer.train(data, preset, network) : trainer.fineTune(base, data);
        progress.printf(Locale.ROOT, "trained in %.0f s; calibrating on %d held-out normal images (T=%d, S=%d, %s)%n",
                (System.nanoTime() - start) / 1e9, heldOut.size(), recipe.maxStep(), recipe.inferenceSteps(),
                recipe.features());
        progress.flush();

        try (trained; FeatureExtractor features = FeatureExtractors.create(recipe.features(), trained)) {
            long calibrationStart = System.nanoTime();
            DetectorSettings settings = new DetectorSettings(ReconstructionMode.GLAD, recipe.maxStep(),
                    recipe.inferenceSteps(), AdsSettings.of(Double.POSITIVE_INFINITY, 0), AnomalyScorer.Settings.DEFAULTS,
                    DetectorSettings.DEFAULT_BATCH_SIZE, Double.NaN);
            Calibration calibration = DetectorCalibrator.DEFAULT.calibrate(DenoisingModel.of(trained), features, settings,
                    heldOut, NoiseSeeds.ofHeldOut(category));
            String version = category.name() + "-" + VERSION_TIME.format(LocalDateTime.now());
            DoubleSummaryStatistics deltas = calibration.adsDeltaPerStep().values().stream()
                    .mapToDouble(Double::doubleValue).summaryStatistics();
            progress.printf(Locale.ROOT, "calibrated in %.0f s: threshold %.4f, ADS delta per step %.4f to %.4f"
                            + " (median %.4f), t_min %d, T %d, S %d, features %s%n",
                    (System.nanoTime() - calibrationStart) / 1e9, calibration.threshold(), deltas.getMin(),
                    deltas.getMax(), calibration.adsDelta(), calibration.adsMinStep(), calibration.maxStep(),
                    calibration.inferenceSteps(), calibration.featureExtractor());
            progress.flush();
            return trained.withMetadata(trained.metadata().withCalibration(calibration).withVersion(version));
        }
    }

    private static AnomalySynthesizer synthesizer(Path textures, int channels, int resolution) {
        SynthesisConfig config = SynthesisConfig.defaults();
        return textures == null ? new AnomalySynthesizer(config)
                : new AnomalySynthesizer(config, TextureSource.load(textures, channels, resolution));
    }
}
