package com.gladstream.glad.training;

import com.gladstream.glad.data.ModelInput;
import com.gladstream.glad.data.MvtecCategory;
import com.gladstream.glad.diffusion.unet.UNetConfig;
import com.gladstream.glad.features.FeatureExtractor;
import com.gladstream.glad.features.FeatureExtractors;
import com.gladstream.glad.image.FloatImage;
import com.gladstream.glad.image.ImageSize;
import com.gladstream.glad.model.Calibration;
import com.gladstream.glad.model.GladModel;
import com.gladstream.glad.pipeline.DenoisingModel;
import com.gladstream.glad.pipeline.DetectorCalibrator;
import com.gladstream.glad.pipeline.DetectorSettings;
import com.gladstream.glad.pipeline.ReconstructionMode;
import com.gladstream.glad.reconstruction.AdsSettings;
import com.gladstream.glad.reconstruction.NoiseSeeds;
import com.gladstream.glad.reconstruction.StepThresholds;
import com.gladstream.glad.scoring.AnomalyScorer;
import com.gladstream.glad.synthesis.AnomalySynthesizer;
import com.gladstream.glad.evaluation.EvaluationSet;
import com.gladstream.glad.evaluation.Evaluator;
import com.gladstream.glad.evaluation.ReportWriter;
import com.gladstream.glad.metrics.MetricsReport;
import com.gladstream.glad.pipeline.AnomalyDetector;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * From a category folder to a calibrated model, the one path of {@code glad train}, the demo and
 * the retraining loop: train on train/good minus its held-out part, then calibrate the threshold,
 * δ_t and t_min on the held-out normal images. Needs only train/good. The caller saves or
 * publishes the returned model ({@code ModelStore.save}/{@code publish}) and closes it.
 */
public final class CategoryTrainer {

    private static final DateTimeFormatter VERSION_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    private static final double PROGRESS_SECONDS = 10;
    /**
     * Categories whose images are within this ratio of square are trained square: the few pixels the
     * aspect would add are not worth a second input shape (docs/DESIGN.md A.6).
     */
    static final double SQUARE_WITHIN = 1.25;

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
        UNetConfig network = base == null
                ? recipe.network().withAspect(inputAspect(category))
                : base.config();
        ImageSize inputSize = network.inputSize();
        int channels = network.inChannels();
        List<FloatImage> images = ModelInput.loadAll(category.trainSamples(), channels, inputSize);
        List<FloatImage> calibrationImages = ModelInput.loadAll(category.calibrationSamples(), channels, inputSize);
        progress.printf(Locale.ROOT, "training on %s: %d images (%d held out, %d of them for calibration), %s px,"
                        + " preset %s, %d steps%s%n", category.name(), images.size(), category.heldOutSamples().size(),
                calibrationImages.size(), inputSize, preset,
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
                ? new DiffusionTrainer(config, AnomalySynthesizer.withDefaults(recipe.textures(), channels, inputSize))
                : new DiffusionTrainer(config);
        trainer.addListener(new ProgressBar(progress, false, PROGRESS_SECONDS));
        listeners.forEach(trainer::addListener);
        TrainingData data = new TrainingData(category.name(), images, category.dataHash());
        long start = System.nanoTime();
        GladModel diffusion = base == null ? trainer.train(data, preset, network) : trainer.fineTune(base, data);
        GladModel trained = FeatureExtractors.needsFeatureNet(recipe.features())
                ? trainFeatureNet(diffusion, images, recipe, progress) : diffusion;
        progress.printf(Locale.ROOT, "trained in %.0f s; calibrating on %d held-out normal images (T=%s, S=%d, %s)%n",
                (System.nanoTime() - start) / 1e9, calibrationImages.size(),
                recipe.maxStep() == TrainingRecipe.AUTO_MAX_STEP ? "chosen on validation" : recipe.maxStep(),
                recipe.inferenceSteps(), recipe.features());
        progress.flush();

        try (trained; FeatureExtractor features = FeatureExtractors.create(recipe.features(), trained)) {
            long calibrationStart = System.nanoTime();
            DenoisingModel denoising = DenoisingModel.of(trained);
            List<Long> seeds = NoiseSeeds.of(category, category.calibrationSamples());
            Map<String, Double> validation = Map.of();
            Calibration calibration;
            if (recipe.maxStep() == TrainingRecipe.AUTO_MAX_STEP) {
                Choice best = chooseMaxStep(category, recipe, denoising, features, calibrationImages, seeds, progress);
                calibration = best.calibration();
                validation = best.metrics();
            } else {
                calibration = calibrate(denoising, features, recipe.maxStep(), recipe.inferenceSteps(), calibrationImages, seeds);
            }
            String version = category.name() + "-" + VERSION_TIME.format(LocalDateTime.now());
            DoubleSummaryStatistics deltas = calibration.adsDeltaPerStep().values().stream()
                    .mapToDouble(Double::doubleValue).summaryStatistics();
            progress.printf(Locale.ROOT, "calibrated in %.0f s: threshold %.4f, ADS delta per step %.4f to %.4f"
                            + " (median %.4f), t_min %d, T %d, S %d, features %s%n",
                    (System.nanoTime() - calibrationStart) / 1e9, calibration.threshold(), deltas.getMin(),
                    deltas.getMax(), calibration.adsDelta(), calibration.adsMinStep(), calibration.maxStep(),
                    calibration.inferenceSteps(), calibration.featureExtractor());
            progress.flush();
            return trained.withMetadata(trained.metadata().withCalibration(calibration).withVersion(version)
                    .withMetrics(validation));
        }
    }

    /** {@code diffusion} (closed here) with a feature network trained for it (docs/DESIGN.md A.3). */
    private static GladModel trainFeatureNet(GladModel diffusion, List<FloatImage> images, TrainingRecipe recipe,
            PrintWriter progress) {
        try (diffusion) {
            int maxStep = recipe.maxStep() == TrainingRecipe.AUTO_MAX_STEP
                    ? TrainingRecipe.MAX_STEP_CANDIDATES.get(TrainingRecipe.MAX_STEP_CANDIDATES.size() - 1)
                    : recipe.maxStep();
            AnomalySynthesizer synthesizer = AnomalySynthesizer.withDefaults(recipe.textures(),
                    diffusion.config().inChannels(), diffusion.config().inputSize());
            return new FeatureNetTrainer(FeatureNetTrainer.Settings.DEFAULTS.withSeed(recipe.seed()), synthesizer)
                    .train(diffusion, images, maxStep, progress);
        }
    }

    /** A chosen maximum step: its calibration and the validation metrics ({@code validation_*}) that chose it. */
    private record Choice(Calibration calibration, Map<String, Double> metrics, double criterion) {}

    /**
     * T chosen on validation data only: for each of {@link TrainingRecipe#MAX_STEP_CANDIDATES}, calibrate on
     * the held-out normals, then evaluate GLAD on them and on two synthetic anomalies each; the highest
     * mean of I-AUROC, P-AUROC and PRO wins, ties going to the smaller T (cheaper, keeps more detail).
     */
    private static Choice chooseMaxStep(MvtecCategory category, TrainingRecipe recipe, DenoisingModel model,
            FeatureExtractor features, List<FloatImage> calibrationImages, List<Long> seeds, PrintWriter progress) {
        EvaluationSet set = EvaluationSet.syntheticValidationSet(category,
                model.inputSize().withShortSide(Evaluator.DEFAULT_EVAL_SIZE), model.inputSize(),
                AnomalySynthesizer.withDefaults(recipe.textures(), 3, model.inputSize()), 2, 0L);
        Evaluator evaluator = new Evaluator(line -> { });
        Choice best = null;
        for (int maxStep : TrainingRecipe.MAX_STEP_CANDIDATES) {
            if (maxStep < recipe.inferenceSteps()) {
                continue;
            }
            Calibration calibration = calibrate(model, features, maxStep, recipe.inferenceSteps(), calibrationImages, seeds);
            DetectorSettings settings = DetectorSettings.fromCalibration(calibration, ReconstructionMode.GLAD);
            MetricsReport m;
            try {
                m = evaluator.evaluate(set, AnomalyDetector.create(model, features, settings), "validation",
                        features.name(), null, null).metrics();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            double criterion = (m.imageAuroc() + m.pixelAuroc() + m.aupro()) / 3;
            progress.printf(Locale.ROOT, "  validation T=%d: I-AUROC %.3f, P-AUROC %.3f, PRO %.3f (mean %.3f) on %d images%n",
                    maxStep, m.imageAuroc(), m.pixelAuroc(), m.aupro(), criterion, set.items().size());
            progress.flush();
            if (best == null || criterion > best.criterion()) {
                Map<String, Double> metrics = new LinkedHashMap<>();
                ReportWriter.metricsByName(m).forEach((name, value) -> metrics.put("validation_" + name, value));
                best = new Choice(calibration, metrics, criterion);
            }
        }
        if (best == null) {
            throw new IllegalArgumentException("no candidate T is at least S=" + recipe.inferenceSteps());
        }
        progress.printf(Locale.ROOT, "chose T=%d on validation data%n", best.calibration().maxStep());
        return best;
    }

    private static Calibration calibrate(DenoisingModel model, FeatureExtractor features, int maxStep,
            int inferenceSteps, List<FloatImage> calibrationImages, List<Long> seeds) {
        DetectorSettings settings = new DetectorSettings(ReconstructionMode.GLAD, maxStep, inferenceSteps,
                AdsSettings.defaults(StepThresholds.uniform(Double.POSITIVE_INFINITY), 0), AnomalyScorer.Settings.DEFAULTS,
                DetectorSettings.DEFAULT_BATCH_SIZE, Double.NaN);
        return DetectorCalibrator.DEFAULT.calibrate(model, features, settings, calibrationImages, seeds);
    }

    /** The width/height a new model of {@code category} works at: its images' own, unless nearly square. */
    static double inputAspect(MvtecCategory category) {
        double aspect = category.aspect();
        return Math.max(aspect, 1 / aspect) < SQUARE_WITHIN ? 1 : aspect;
    }

}
