package com.gladstream.glad.evaluation;

import com.gladstream.glad.data.ImageLoader;
import com.gladstream.glad.data.MvtecCategory;
import com.gladstream.glad.features.FeatureExtractor;
import com.gladstream.glad.image.FloatImage;
import com.gladstream.glad.model.Calibration;
import com.gladstream.glad.pipeline.AnomalyDetector;
import com.gladstream.glad.pipeline.DenoisingModel;
import com.gladstream.glad.pipeline.DetectorCalibrator;
import com.gladstream.glad.pipeline.DetectorSettings;
import com.gladstream.glad.pipeline.ReconstructionMode;
import com.gladstream.glad.reconstruction.NoiseSeeds;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The paper's ablations on one category, each row calibrated on held-out normal images for its own
 * setting (never on test images) and evaluated on the full test set.
 *
 * <p>Components (the paper's Table 3): ADS — adaptive denoising steps; ATP — the anomaly-oriented
 * training (a model fine-tuned or trained with ATP); SAFF — spatial-adaptive feature fusion at the
 * trigger. Rows: fixed-step baseline (plain model); +ADS (plain model, ADS without SAFF); +ATP (ATP
 * model, fixed step); +ADS+ATP without SAFF; full GLAD (ATP model, ADS with SAFF). Then the paper's
 * Table 4: the full model at several fixed steps against its adaptive steps.
 */
public final class AblationStudy {

    /** One configuration and what it measured. */
    public record Row(String table, String name, EvaluationReport report) {}

    private final EvaluationSet evaluationSet;
    private final FeatureExtractor features;
    private final Evaluator evaluator;
    private final Consumer<String> progress;
    private final List<FloatImage> normals;
    private final List<Long> normalSeeds;

    /**
     * @param category supplies the held-out normal images each row is calibrated on
     * @param evaluationSet what every row is measured on: the test set, or a synthetic validation set
     */
    public AblationStudy(MvtecCategory category, EvaluationSet evaluationSet, FeatureExtractor features,
            Consumer<String> progress) {
        this.evaluationSet = evaluationSet;
        this.features = features;
        this.evaluator = new Evaluator(progress);
        this.progress = progress;
        // Loaded at their own size once; each model fits them to its resolution.
        this.normals = category.calibrationSamples().stream().map(s -> ImageLoader.load(s.path(), 3)).toList();
        this.normalSeeds = NoiseSeeds.of(category, category.calibrationSamples());
    }

    /**
     * @param plain a model trained with the plain diffusion loss
     * @param atp the same kind of model trained or fine-tuned with ATP
     * @param base T, S and the scoring settings every row shares
     * @param fixedSteps the steps of the fixed-step rows of Table 4
     */
    public List<Row> run(DenoisingModel plain, String plainVersion, DenoisingModel atp, String atpVersion,
            DetectorSettings base, int[] fixedSteps) throws IOException {
        DetectorSettings fixed = withMode(base, ReconstructionMode.FIXED, base.maxStep());
        DetectorSettings glad = withMode(base, ReconstructionMode.GLAD, base.maxStep());
        DetectorSettings gladNoSaff = glad.withAds(glad.ads().withoutSaff());
        List<Row> rows = new ArrayList<>();
        rows.add(row("components", "fixed-step baseline", plain, plainVersion, fixed));
        rows.add(row("components", "+ADS", plain, plainVersion, gladNoSaff));
        Row atpFixed = row("components", "+ATP", atp, atpVersion, fixed);
        rows.add(atpFixed);
        rows.add(row("components", "+ADS +ATP (no SAFF)", atp, atpVersion, gladNoSaff));
        Row full = row("components", "GLAD (ADS +ATP +SAFF)", atp, atpVersion, glad);
        rows.add(full);
        for (int step : fixedSteps) {
            String name = "fixed T=" + step;
            // The +ATP row already is the full model at a fixed T = maxStep: evaluated once, shown in both tables.
            rows.add(step == base.maxStep() ? new Row("steps", name, atpFixed.report())
                    : row("steps", name, atp, atpVersion, withMode(base, ReconstructionMode.FIXED, step)));
        }
        rows.add(new Row("steps", "adaptive (GLAD, T=" + base.maxStep() + ")", full.report()));
        return rows;
    }

    private Row row(String table, String name, DenoisingModel model, String version, DetectorSettings settings)
            throws IOException {
        progress.accept("ablation row: " + name);
        Calibration calibration = DetectorCalibrator.DEFAULT.calibrate(model, features, settings, normals, normalSeeds);
        AnomalyDetector detector = AnomalyDetector.create(model, features, settings.withCalibration(calibration));
        return new Row(table, name, evaluator.evaluate(evaluationSet, detector, version, features.name(), null, null));
    }

    private static DetectorSettings withMode(DetectorSettings s, ReconstructionMode mode, int step) {
        return new DetectorSettings(mode, step, s.inferenceSteps(), s.ads(), s.scoring(), s.batchSize(), s.threshold());
    }
}
