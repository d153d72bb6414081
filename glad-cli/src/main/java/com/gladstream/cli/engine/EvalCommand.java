package com.gladstream.cli.engine;

import com.gladstream.glad.data.ModelInput;
import com.gladstream.glad.data.MvtecCategory;
import com.gladstream.glad.data.Sample;
import com.gladstream.glad.data.StagedFolder;
import com.gladstream.glad.evaluation.AblationStudy;
import com.gladstream.glad.evaluation.AdsRuleStudy;
import com.gladstream.glad.evaluation.EvaluationReport;
import com.gladstream.glad.evaluation.EvaluationSet;
import com.gladstream.glad.evaluation.Evaluator;
import com.gladstream.glad.evaluation.ReportWriter;
import com.gladstream.glad.features.FeatureExtractor;
import com.gladstream.glad.features.FeatureExtractors;
import com.gladstream.glad.image.FloatImage;
import com.gladstream.glad.image.ImageSize;
import com.gladstream.glad.model.Calibration;
import com.gladstream.glad.model.GladModel;
import com.gladstream.glad.model.ModelStore;
import com.gladstream.glad.pipeline.DenoisingModel;
import com.gladstream.glad.pipeline.DetectorSession;
import com.gladstream.glad.reconstruction.NoiseSeeds;
import com.gladstream.glad.synthesis.AnomalyFamily;
import com.gladstream.glad.synthesis.AnomalyGenerator;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code glad eval}: measures a model on a category's test images and writes report.json and report.html. */
@Command(
        name = "eval",
        mixinStandardHelpOptions = true,
        description = {
            "Evaluates a model on a category's test images and writes a JSON and an HTML report.",
            "The report has the seven metrics (I-AUROC, I-AP, I-F1max, P-AUROC, P-AP, P-F1max, PRO), each"
                    + " image's score and decision, and for each image its input, reconstruction and heatmap overlay. A"
                    + " mode or step other than the model's calibrated one is first re-calibrated on the held-out normal"
                    + " images (never on test images)."
        })
public final class EvalCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "Category folder in the MVTec layout.")
    Path data;

    @Option(names = "--model-dir", required = true, paramLabel = "DIR", description = "A trained model.")
    Path modelDir;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Report folder (replaced when complete).")
    Path out;

    @Option(names = "--eval-size", defaultValue = "" + Evaluator.DEFAULT_EVAL_SIZE, paramLabel = "PX",
            description = "Shorter side of the pixel grid for the pixel metrics and written images; the grid keeps"
                    + " the model's aspect (default: ${DEFAULT-VALUE}).")
    int evalSize;

    @Mixin
    DetectorOptions detector;

    @Option(names = "--validation", description = {
        "Evaluate on held-out normal images and synthetic anomalies on them instead of the test images:",
        "the way to compare settings (e.g. --features) without choosing anything on test images."})
    boolean validation;

    @Option(names = "--textures", paramLabel = "DIR",
            description = "With --validation or --ads-rules: texture images for the synthetic anomalies.")
    Path textures;

    @Option(names = "--anomalies", paramLabel = "FAMILY", defaultValue = "perlin",
            converter = AnomalyFamilyConverter.class, description = {
                "With --validation or --ads-rules: the synthetic anomalies, perlin (regions of texture or shuffled",
                "image: what ATP and learned features train on) or scratches (thin scratches and small spots, which",
                "no model here trains on; --textures does not apply). Default: ${DEFAULT-VALUE}."})
    AnomalyFamily anomalies;

    @Option(names = "--ablation", description = {
        "Run the paper's ablation instead: fixed-step baseline, +ADS, +ATP, +ADS+ATP without SAFF, full GLAD,",
        "then fixed steps against adaptive. --model-dir is the ATP model, --plain-model-dir the plain one."})
    boolean ablation;

    @Option(names = "--plain-model-dir", paramLabel = "DIR", description = "With --ablation: a model trained without ATP.")
    Path plainModelDir;

    @Option(names = "--ablation-steps", split = ",", paramLabel = "T,...", defaultValue = "250,500,750",
            description = "With --ablation: the fixed steps compared with adaptive steps (default: ${DEFAULT-VALUE}).")
    int[] ablationSteps;

    @Option(names = "--ads-rules", description = {
        "Compare rules for ADS's trigger thresholds instead: leave-one-out over the held-out normal images, with",
        "synthetic anomalies made from them (--textures); writes ads-rules.md. Uses no test image."})
    boolean adsRules;

    @Override
    public Integer call() throws Exception {
        checkOptions();
        PrintWriter err = spec.commandLine().getErr();
        MvtecCategory category = MvtecCategory.open(data);
        if (ablation) {
            return runAblation(category, err);
        }
        if (adsRules) {
            return runAdsRuleStudy(category, err);
        }
        try (GladModel model = ModelStore.load(modelDir);
                DetectorSession session = detector.open(model, category, err)) {
            EvaluationReport[] report = new EvaluationReport[1];
            StagedFolder.replace(out, dir -> {
                Path images = Files.createDirectories(dir.resolve("images"));
                report[0] = new Evaluator(progressTo(err))
                        .evaluate(evaluationSet(category, model.config().inputSize()), session.detector(), model.metadata().version(),
                                session.features().name(), images, "images");
                ReportWriter.write(report[0], dir);
            });
            print(report[0]);
        }
        return 0;
    }

    private int runAblation(MvtecCategory category, PrintWriter err) throws Exception {
        if (plainModelDir == null) {
            throw new IllegalArgumentException("--ablation needs --plain-model-dir, a model trained without ATP");
        }
        // No session: every row re-calibrates for its own setting, so the model's stored calibration
        // only supplies the defaults (T, S, features) the options do not override.
        try (GladModel atp = ModelStore.load(modelDir); GladModel plain = ModelStore.load(plainModelDir)) {
            Calibration stored = DetectorSession.calibrationOf(atp);
            List<AblationStudy.Row> rows;
            try (FeatureExtractor features = FeatureExtractors.create(detector.featureSpec(stored), atp)) {
                rows = new AblationStudy(category, evaluationSet(category, atp.config().inputSize()), features,
                                progressTo(err))
                        .run(DenoisingModel.of(plain), plain.metadata().version(), DenoisingModel.of(atp),
                                atp.metadata().version(), detector.settings(stored), ablationSteps);
            }
            StagedFolder.replace(out, dir -> ReportWriter.writeAblation(category.name(), rows, dir));
            PrintWriter w = spec.commandLine().getOut();
            w.print(ReportWriter.ablationMarkdown(rows));
            w.printf("report: %s%n", out.toAbsolutePath().resolve("ablation.html"));
            w.flush();
        }
        return 0;
    }

    private int runAdsRuleStudy(MvtecCategory category, PrintWriter err) throws Exception {
        try (GladModel model = ModelStore.load(modelDir)) {
            Calibration calibration = DetectorSession.calibrationOf(model);
            DenoisingModel denoising = DenoisingModel.of(model);
            List<Sample> heldOut = category.heldOutSamples();
            List<FloatImage> normals = ModelInput.loadAll(heldOut, denoising.channels(), denoising.inputSize());
            long[] seeds = NoiseSeeds.of(category, heldOut).stream().mapToLong(Long::longValue).toArray();
            List<AdsRuleStudy.Result> results;
            try (FeatureExtractor features = FeatureExtractors.create(detector.featureSpec(calibration), model)) {
                results = new AdsRuleStudy(progressTo(err)).run(denoising, features, detector.settings(calibration),
                        normals, seeds, synthesizer(denoising.inputSize()), 2, 0L, AdsRuleStudy.DRAWS,
                        AdsRuleStudy.CANDIDATES);
            }
            String markdown = AdsRuleStudy.markdown(results);
            StagedFolder.replace(out, dir -> Files.writeString(dir.resolve("ads-rules.md"), markdown));
            PrintWriter w = spec.commandLine().getOut();
            w.print(markdown);
            w.printf("report: %s%n", out.toAbsolutePath().resolve("ads-rules.md"));
            w.flush();
        }
        return 0;
    }

    /** {@code --anomalies} in any case. */
    static final class AnomalyFamilyConverter implements ITypeConverter<AnomalyFamily> {
        @Override
        public AnomalyFamily convert(String value) {
            return AnomalyFamily.parse(value);
        }
    }

    /** Options that belong to another study than the one asked for are an error, not silently ignored. */
    private void checkOptions() {
        if (ablation && adsRules) {
            throw new IllegalArgumentException("--ablation and --ads-rules are two studies; run them one at a time");
        }
        if (adsRules && validation) {
            throw new IllegalArgumentException("--ads-rules always uses held-out images only; drop --validation");
        }
        if (!ablation && (plainModelDir != null || spec.commandLine().getParseResult().hasMatchedOption("--ablation-steps"))) {
            throw new IllegalArgumentException("--plain-model-dir and --ablation-steps need --ablation");
        }
        boolean synthetic = validation || adsRules;
        if (textures != null && !synthetic) {
            throw new IllegalArgumentException("--textures is for synthetic anomalies: use it with --validation or --ads-rules");
        }
        if (spec.commandLine().getParseResult().hasMatchedOption("--anomalies") && !synthetic) {
            throw new IllegalArgumentException("--anomalies is for synthetic anomalies: use it with --validation or --ads-rules");
        }
        if (textures != null && anomalies != AnomalyFamily.PERLIN) {
            throw new IllegalArgumentException("--textures serves perlin anomalies only, not " + anomalies.name().toLowerCase(Locale.ROOT));
        }
    }

    /** Progress lines, flushed one by one so that a long evaluation shows how far it got. */
    private static Consumer<String> progressTo(PrintWriter err) {
        return line -> {
            err.println(line);
            err.flush();
        };
    }

    /** Two synthetic anomalies per held-out image, from a fixed seed, so every compared setting sees the same set. */
    private EvaluationSet evaluationSet(MvtecCategory category, ImageSize input) {
        ImageSize grid = input.withShortSide(evalSize);
        if (!validation) {
            return EvaluationSet.testSet(category, grid, input);
        }
        return EvaluationSet.syntheticValidationSet(category, grid, input, synthesizer(input), 2, 0L);
    }

    /** Synthetic anomalies of the --anomalies family, perlin ones from --textures when given. */
    private AnomalyGenerator synthesizer(ImageSize input) {
        return anomalies.generator(textures, 3, input);
    }

    private void print(EvaluationReport r) {
        PrintWriter w = spec.commandLine().getOut();
        w.printf(Locale.ROOT, "%s %s set, %s mode, T=%d, %d images%n", r.category(), r.dataset(), r.mode(), r.maxStep(),
                r.images().size());
        ReportWriter.metricsByName(r.metrics()).forEach((k, v) -> w.printf(Locale.ROOT, "  %-12s %.4f%n", k, v));
        w.printf(Locale.ROOT, "  %-12s %.3f%n", "s/image", r.cost().secondsPerImage());
        EvaluationReport.Cost c = r.cost();
        w.printf(Locale.ROOT, "  UNet evaluations per normal / anomalous image: %s%n",
                ReportWriter.normalAndAnomalous(c.normal().unetEvaluations(), c.anomalous().unetEvaluations()));
        w.printf(Locale.ROOT, "  feature extractions per normal / anomalous image: %s%n",
                ReportWriter.normalAndAnomalous(c.normal().featureExtractions(), c.anomalous().featureExtractions()));
        w.printf("report: %s%n", out.toAbsolutePath().resolve("report.html"));
        w.flush();
    }
}
