package com.gladstream.glad.pipeline;

import com.gladstream.glad.data.ModelInput;
import com.gladstream.glad.data.MvtecCategory;
import com.gladstream.glad.features.FeatureExtractor;
import com.gladstream.glad.features.FeatureExtractors;
import com.gladstream.glad.model.Calibration;
import com.gladstream.glad.model.GladModel;
import com.gladstream.glad.reconstruction.NoiseSeeds;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.Function;

/**
 * The one way to build a detector from a stored model: its feature extractor opened from the spec
 * the model was calibrated with, and an {@link AnomalyDetector} over both. Used by the streaming
 * worker, {@code glad detect} and {@code glad eval}.
 *
 * <p>Closing the session closes the feature extractor, not the model: the caller owns the model and
 * closes it after the session.
 */
public final class DetectorSession implements AutoCloseable {

    private final FeatureExtractor features;
    private final AnomalyDetector detector;

    private DetectorSession(FeatureExtractor features, AnomalyDetector detector) {
        this.features = features;
        this.detector = detector;
    }

    /**
     * A detector with the model's stored calibration as it is (GLAD mode, its T, S, δ_t, t_min,
     * threshold and feature extractor) and the default batch size.
     *
     * @throws IllegalArgumentException if the model has no calibration
     */
    public static DetectorSession open(GladModel model) {
        return open(model, DetectorSettings.DEFAULT_BATCH_SIZE);
    }

    /** As {@link #open(GladModel)}, with {@code batchSize} images per network call. */
    public static DetectorSession open(GladModel model, int batchSize) {
        Calibration calibration = calibrationOf(model);
        DetectorSettings stored = DetectorSettings.fromCalibration(calibration, ReconstructionMode.GLAD);
        DetectorSettings settings = new DetectorSettings(stored.mode(), stored.maxStep(), stored.inferenceSteps(),
                stored.ads(), stored.scoring(), batchSize, stored.threshold());
        return build(model, calibration.featureExtractor(), features -> settings);
    }

    /**
     * A detector for settings other than the stored ones (another mode, T, S or feature extractor),
     * re-calibrated on the category's held-out normal images, never on test images.
     *
     * @param featureSpec the feature extractor ({@link FeatureExtractors} spec)
     * @param settings mode, T, S, scoring and batch size; its δ_t, t_min and threshold are replaced
     * @param log receives one line saying what is being re-calibrated
     */
    public static DetectorSession recalibrated(GladModel model, String featureSpec, DetectorSettings settings,
            MvtecCategory category, PrintWriter log) {
        DenoisingModel denoising = DenoisingModel.of(model);
        return build(model, featureSpec, features -> {
            log.printf(Locale.ROOT, "re-calibrating for %s mode at T=%d, S=%d with %s on %d held-out normal images%n",
                    settings.mode().name().toLowerCase(Locale.ROOT), settings.maxStep(), settings.inferenceSteps(),
                    features.name(), category.calibrationSamples().size());
            log.flush();
            Calibration calibration = DetectorCalibrator.DEFAULT.calibrate(denoising, features, settings,
                    ModelInput.loadAll(category.calibrationSamples(), denoising.channels(), denoising.inputSize()),
                    NoiseSeeds.of(category, category.calibrationSamples()));
            return settings.withCalibration(calibration);
        });
    }

    private static DetectorSession build(GladModel model, String featureSpec,
            Function<FeatureExtractor, DetectorSettings> settingsFor) {
        FeatureExtractor features = FeatureExtractors.create(featureSpec, model);
        try {
            DetectorSettings settings = settingsFor.apply(features);
            return new DetectorSession(features, AnomalyDetector.create(DenoisingModel.of(model), features, settings));
        } catch (RuntimeException e) {
            features.close();
            throw e;
        }
    }

    /**
     * The model's stored calibration.
     *
     * @throws IllegalArgumentException if it has none (a model saved before calibration)
     */
    public static Calibration calibrationOf(GladModel model) {
        Calibration calibration = model.metadata().calibration();
        if (calibration == null) {
            throw new IllegalArgumentException("model " + model.metadata().version() + " has no calibration;"
                    + " train it with glad train (CategoryTrainer), which calibrates on held-out normal images");
        }
        return calibration;
    }

    public AnomalyDetector detector() {
        return detector;
    }

    public FeatureExtractor features() {
        return features;
    }

    @Override
    public void close() {
        features.close();
    }
}
