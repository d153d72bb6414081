package com.gladstream.cli.engine;

import com.gladstream.glad.data.MvtecCategory;
import com.gladstream.glad.features.FeatureExtractor;
import com.gladstream.glad.features.FeatureExtractors;
import com.gladstream.glad.model.Calibration;
import com.gladstream.glad.model.GladModel;
import com.gladstream.glad.pipeline.AnomalyDetector;
import com.gladstream.glad.pipeline.DenoisingModel;
import com.gladstream.glad.pipeline.DetectorCalibrator;
import com.gladstream.glad.pipeline.DetectorSettings;
import com.gladstream.glad.reconstruction.NoiseSeeds;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * A stored model ready to detect with the requested options: its feature extractor opened, and its
 * threshold re-calibrated on the category's held-out normal images when the options differ from
 * what the model was calibrated for.
 */
final class ModelSession implements AutoCloseable {

    private final FeatureExtractor features;
    private final AnomalyDetector detector;

    private ModelSession(FeatureExtractor features, AnomalyDetector detector) {
        this.features = features;
        this.detector = detector;
    }

    /**
     * @param category source of held-out normal images for re-calibration, or null when the
     *     model's own calibration must be used as it is
     */
    static ModelSession open(GladModel model, DetectorOptions options, MvtecCategory category, PrintWriter log) {
        Calibration calibration = calibrationOf(model);
        FeatureExtractor features = FeatureExtractors.create(options.featureSpec(calibration), model);
        try {
            DetectorSettings settings = options.settings(calibration);
            DenoisingModel denoising = DenoisingModel.of(model);
            if (!options.matches(calibration)) {
                if (category == null) {
                    throw new IllegalArgumentException("the model is calibrated for glad mode at T=" + calibration.maxStep()
                            + " with " + calibration.featureExtractor() + "; other settings need a category to re-calibrate on");
                }
                log.printf(Locale.ROOT, "re-calibrating for %s mode at T=%d with %s on %d held-out normal images%n",
                        settings.mode().name().toLowerCase(Locale.ROOT), settings.maxStep(), features.name(),
                        category.heldOutSamples().size());
                log.flush();
                List<Long> seeds = NoiseSeeds.ofHeldOut(category);
                Calibration recalibrated = DetectorCalibrator.DEFAULT.calibrate(denoising, features, settings,
                        TrainCommand.load(category.heldOutSamples(), denoising.channels(), denoising.resolution()), seeds);
                settings = settings.withCalibration(recalibrated);
            }
            return new ModelSession(features, AnomalyDetector.create(denoising, features, settings));
        } catch (RuntimeException e) {
            features.close();
            throw e;
        }
    }

    /** The model's stored calibration; every model {@code glad train} writes has one. */
    static Calibration calibrationOf(GladModel model) {
        Calibration calibration = model.metadata().calibration();
        if (calibration == null) {
            throw new IllegalArgumentException("model " + model.metadata().version() + " has no calibration;"
                    + " train it with glad train, which calibrates on held-out normal images");
        }
        return calibration;
    }

    AnomalyDetector detector() {
        return detector;
    }

    FeatureExtractor features() {
        return features;
    }

    @Override
    public void close() {
        features.close();
    }
}
