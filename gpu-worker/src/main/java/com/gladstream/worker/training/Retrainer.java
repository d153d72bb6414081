package com.gladstream.worker.training;

import com.gladstream.glad.data.MvtecCategory;
import com.gladstream.glad.data.PngWriter;
import com.gladstream.glad.evaluation.EvaluationSet;
import com.gladstream.glad.evaluation.Evaluator;
import com.gladstream.glad.evaluation.ReportWriter;
import com.gladstream.glad.image.ImageSize;
import com.gladstream.glad.model.Calibration;
import com.gladstream.glad.model.DataHash;
import com.gladstream.glad.model.Directories;
import com.gladstream.glad.model.GladModel;
import com.gladstream.glad.model.ModelLoadException;
import com.gladstream.glad.model.ModelStore;
import com.gladstream.glad.pipeline.Detection;
import com.gladstream.glad.pipeline.DetectorSession;
import com.gladstream.glad.reconstruction.NoiseSeeds;
import com.gladstream.glad.synthesis.AnomalySynthesizer;
import com.gladstream.glad.training.CategoryTrainer;
import com.gladstream.glad.training.TrainingDivergedException;
import com.gladstream.glad.training.TrainingListener;
import com.gladstream.glad.training.TrainingRecipe;
import com.gladstream.schemas.ModelPublished;
import com.gladstream.worker.models.ModelAnnouncer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One retrain of one category, gate by gate (docs/DESIGN.md, "Retraining"): the serving model and
 * the NORMAL samples recorded since it was published; samples it scores far above its threshold
 * left out as likely defects; the rest written as a train/good folder; ATP fine-tuning of the
 * serving model for a bounded number of steps, re-calibrated on the folder's held-out normals; both
 * models validated on the same validation set (held-out normals plus synthetic anomalies on them,
 * as {@code glad eval --validation} builds it); the candidate published as the next version. Any
 * gate that fails throws {@link RetrainRejectedException} with the reason, and nothing is published.
 */
public final class Retrainer {

    private static final Logger log = LoggerFactory.getLogger(Retrainer.class);
    /** The figure the margin gate compares. */
    static final String GATE_METRIC = "image_auroc";
    /** As {@code glad eval --validation}: two synthetic anomalies per held-out image, from a fixed seed. */
    private static final int ANOMALIES_PER_IMAGE = 2;
    private static final long VALIDATION_SEED = 0L;

    /** A published candidate. */
    public record Result(ModelPublished published, String parentVersion, int samples, int excluded,
            Map<String, Double> metrics) {}

    private final TrainerSettings settings;
    private final Supplier<Map<String, ModelPublished>> serving;
    private final NormalSamples samples;
    private final ModelAnnouncer announcer;
    /** Category → data hash of its last run, published or not: the same samples are not trained on twice. */
    private final Map<String, String> lastDataHash = new ConcurrentHashMap<>();

    public Retrainer(TrainerSettings settings, Supplier<Map<String, ModelPublished>> serving, NormalSamples samples,
            ModelAnnouncer announcer) {
        this.settings = settings;
        this.serving = serving;
        this.samples = samples;
        this.announcer = announcer;
    }

    /**
     * @param requestedSteps fine-tuning steps, or null for {@code retrain.steps}
     * @param stage told each stage's name as it begins
     * @param steps told of every fine-tuning step
     */
    public Result retrain(String category, Integer requestedSteps, Consumer<String> stage, TrainingListener steps) {
        try {
            ModelStore.requireCategory(category);
        } catch (IllegalArgumentException e) {
            throw new RetrainRejectedException(e.getMessage());
        }
        int stepCount = requestedSteps == null ? settings.steps() : requestedSteps;
        if (stepCount < 1 || stepCount > settings.maxSteps()) {
            throw new RetrainRejectedException("a retrain takes 1 to " + settings.maxSteps() + " steps (retrain.max-steps),"
                    + " asked for " + stepCount);
        }
        ModelPublished current = serving.get().get(category);
        if (current == null) {
            throw new RetrainRejectedException("no model serves " + category + ": a retrain fine-tunes the serving model,"
                    + " so one must be published first");
        }
        String parent = current.getVersion();

        stage.accept("gathering");
        NormalSamples.Gathered gathered = samples.gather(category, current.getPublishedAt(), settings.maxSamples());
        requireEnough(gathered.samples().size(), 0, gathered.undecodable(), parent);

        GladModel base;
        try {
            base = ModelStore.load(ModelStore.versionDir(settings.modelStore(), category, parent));
        } catch (ModelLoadException | IllegalArgumentException e) {
            throw new RetrainRejectedException("the serving model " + parent + " cannot be loaded: " + e.getMessage(), e);
        }
        try (base) {
            stage.accept("screening");
            List<NormalSamples.Sample> kept = screen(base, gathered.samples());
            int excluded = gathered.samples().size() - kept.size();
            requireEnough(kept.size(), excluded, gathered.undecodable(), parent);

            Path runDir = settings.workDir().resolve(category + "-" + UUID.randomUUID());
            try {
                MvtecCategory folder = writeFolder(runDir.resolve(category), kept);
                String dataHash = folder.dataHash();
                if (dataHash.equals(base.metadata().dataHash())) {
                    throw new RetrainRejectedException("the samples are the ones " + parent + " was trained on (data hash "
                            + dataHash + ")");
                }
                String previous = lastDataHash.put(category, dataHash);
                if (dataHash.equals(previous)) {
                    throw new RetrainRejectedException("the samples are the same as in the last retrain of " + category
                            + " (data hash " + dataHash + "); wait for new samples");
                }
                return fineTuneValidatePublish(base, folder, stepCount, kept.size(), excluded, stage, steps);
            } finally {
                deleteQuietly(runDir);
            }
        }
    }

    private void requireEnough(int usable, int excluded, int undecodable, String parent) {
        if (usable < settings.minSamples()) {
            throw new RetrainRejectedException(String.format(Locale.ROOT,
                    "too few samples: %d usable NORMAL samples since %s (%d left out as likely defects, %d undecodable),"
                            + " retrain.min-samples is %d", usable, parent, excluded, undecodable, settings.minSamples()));
        }
    }

    /**
     * The mislabelled-defect rule: a sample is left out when the serving model, scoring it exactly as
     * the worker would (same noise seed), gives it more than {@code retrain.exclude-factor} times its
     * decision threshold. A sample just above the threshold stays: it may be the drift the retrain
     * is for.
     */
    private List<NormalSamples.Sample> screen(GladModel base, List<NormalSamples.Sample> all) {
        List<NormalSamples.Sample> kept = new ArrayList<>();
        try (DetectorSession session = DetectorSession.open(base, settings.batchSize())) {
            double limit = settings.excludeFactor() * session.detector().settings().threshold();
            List<Detection> detections = session.detector().detect(all.stream().map(NormalSamples.Sample::image).toList(),
                    all.stream().map(s -> NoiseSeeds.of(s.eventId())).toList());
            for (int i = 0; i < all.size(); i++) {
                double score = detections.get(i).score();
                if (Double.isFinite(limit) && score > limit) {
                    log.atInfo().addKeyValue("category", base.metadata().category()).addKeyValue("event_id", all.get(i).eventId())
                            .addKeyValue("score", score).addKeyValue("limit", limit)
                            .log("sample left out of the retrain as a likely defect");
                } else {
                    kept.add(all.get(i));
                }
            }
        }
        return kept;
    }

    /** train/good with one PNG per sample, named by a hash of its event id (so the folder's data hash is stable). */
    private static MvtecCategory writeFolder(Path categoryDir, List<NormalSamples.Sample> kept) {
        Path good = categoryDir.resolve("train").resolve("good");
        try {
            Files.createDirectories(good);
            for (NormalSamples.Sample s : kept) {
                PngWriter.writeImage(s.image(), good.resolve(DataHash.sha256Hex(s.eventId()).substring(0, 24) + ".png"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the retrain samples to " + good, e);
        }
        return MvtecCategory.open(categoryDir);
    }

    private Result fineTuneValidatePublish(GladModel base, MvtecCategory folder, int stepCount, int sampleCount,
            int excluded, Consumer<String> stage, TrainingListener steps) {
        Calibration calibration = DetectorSession.calibrationOf(base);
        String parent = base.metadata().version();
        TrainingRecipe recipe = new TrainingRecipe(base.metadata().preset(), stepCount, settings.batchSize(),
                settings.cropSize(), NoiseSeeds.of(folder.dataHash()), base.config().inChannels(), true,
                settings.textures(), calibration.featureExtractor(), calibration.maxStep(), calibration.inferenceSteps(), null);
        stage.accept("fine-tuning");
        StringWriter trainingLog = new StringWriter();
        GladModel candidate;
        try {
            candidate = CategoryTrainer.fineTuneAndCalibrate(base, folder.root(), recipe, new PrintWriter(trainingLog),
                    List.of(steps, new TrainingPace(settings.dutyCycle())));
        } catch (TrainingDivergedException e) {
            throw new RetrainRejectedException("training diverged: " + e.getMessage(), e);
        } finally {
            log.atInfo().addKeyValue("category", folder.name()).log("fine-tuning: {}", trainingLog.toString().strip());
        }
        try (candidate) {
            stage.accept("validating");
            ImageSize input = base.config().inputSize();
            EvaluationSet set = EvaluationSet.syntheticValidationSet(folder, input, input,
                    AnomalySynthesizer.withDefaults(settings.textures(), 3, input), ANOMALIES_PER_IMAGE, VALIDATION_SEED);
            Map<String, Double> before = validate(base, set);
            Map<String, Double> after = validate(candidate, set);
            double was = before.get(GATE_METRIC);
            double now = after.get(GATE_METRIC);
            if (!Double.isFinite(now) || !Double.isFinite(candidate.metadata().calibration().threshold())) {
                throw new RetrainRejectedException("training diverged: the candidate's validation scores or threshold are"
                        + " not finite (" + GATE_METRIC + " " + now + ")");
            }
            String figures = String.format(Locale.ROOT, "validation %s %.4f against %.4f for %s on %d images",
                    GATE_METRIC, now, was, parent, set.items().size());
            if (now < was - settings.validationMargin()) {
                throw new RetrainRejectedException("validation worse than the serving model by more than"
                        + " retrain.validation-margin " + settings.validationMargin() + ": " + figures);
            }
            Map<String, Double> metrics = new LinkedHashMap<>();
            after.forEach((k, v) -> metrics.put("validation." + k, v));
            before.forEach((k, v) -> metrics.put("parent.validation." + k, v));
            metrics.put("retrain.steps", (double) stepCount);
            metrics.put("retrain.samples", (double) sampleCount);
            metrics.put("retrain.excluded", (double) excluded);
            stage.accept("publishing");
            ModelPublished published;
            try (GladModel withFigures = candidate.withMetadata(candidate.metadata().withMetrics(metrics))) {
                published = announcer.publish(withFigures, metrics, sampleCount);
            }
            log.atInfo().addKeyValue("category", folder.name()).addKeyValue("version", published.getVersion())
                    .addKeyValue("parent", parent).log("retrained and published: {}", figures);
            return new Result(published, parent, sampleCount, excluded, metrics);
        }
    }

    private static Map<String, Double> validate(GladModel model, EvaluationSet set) {
        try (DetectorSession session = DetectorSession.open(model)) {
            return ReportWriter.metricsByName(new Evaluator(line -> {})
                    .evaluate(set, session.detector(), model.metadata().version(), session.features().name(), null, null)
                    .metrics());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            Directories.deleteRecursively(dir);
        } catch (IOException e) {
            log.warn("cannot delete the retrain folder {}: {}", dir, e.getMessage());
        }
    }
}
