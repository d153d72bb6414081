package com.gladstream.glad.evaluation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.gladstream.glad.features.FeatureExtractor;
import com.gladstream.glad.image.FloatImage;
import com.gladstream.glad.pipeline.DenoisingModel;
import com.gladstream.glad.pipeline.DetectorSettings;
import com.gladstream.glad.reconstruction.AdaptiveReconstructor;
import com.gladstream.glad.reconstruction.AdsCalibrator;
import com.gladstream.glad.reconstruction.ReconstructionResult.StepScore;
import com.gladstream.glad.reconstruction.StepThresholds;
import com.gladstream.glad.scoring.AnomalyScorer;
import com.gladstream.glad.synthesis.AnomalyGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Compares rules for ADS's trigger thresholds without test images, by leave-one-out over the
 * held-out normal images: for each held-out image j, a rule is calibrated on the other images only
 * and then judged on image j under several fresh noise draws (any trigger there is a false one) and
 * on synthetic anomalies made from image j (a trigger there is a true one).
 *
 * <p>All step scores are recorded once, with triggers off and the t_min of all held-out images: up
 * to its trigger step a triggered run is the same run, so where an image would trigger under a rule
 * is read off its recorded trace ({@link StepThresholds#firstTrigger}).
 */
public final class AdsRuleStudy {

    /** What one rule did over all leave-one-out folds. */
    public record Result(AdsCalibrator rule, int normalTraces, int falseTriggers, int anomalies, int anomalyTriggers,
            double meanAnomalyTriggerStep) {

        public double falseTriggerRate() {
            return (double) falseTriggers / normalTraces;
        }

        public double anomalyTriggerRate() {
            return (double) anomalyTriggers / anomalies;
        }

        /** Youden's J: anomaly trigger rate minus false trigger rate. */
        public double youden() {
            return anomalyTriggerRate() - falseTriggerRate();
        }
    }

    /**
     * The rules {@code glad eval --ads-rules} compares: the per-step and profile rules, each with one
     * noise draw per held-out image and with four, at margins 10 % and 25 %; the pooled rule at
     * quantiles 0.95 and 0.99 with one draw and with four.
     */
    public static final List<AdsCalibrator> CANDIDATES = candidates();

    /** Noise draws per held-out image the study records: enough for every candidate. */
    public static final int DRAWS = 4;

    private final Consumer<String> progress;

    public AdsRuleStudy(Consumer<String> progress) {
        this.progress = progress;
    }

    /**
     * @param settings the GLAD configuration (T, S, scoring, batch) the rules calibrate
     * @param normals held-out normal images, at least three
     * @param seeds their noise seeds
     * @param draws noise draws per normal image; every rule's {@link AdsCalibrator#noiseDraws()} must fit in it
     * @param anomaliesPerImage synthetic anomalies made from each normal image
     */
    public List<Result> run(DenoisingModel model, FeatureExtractor features, DetectorSettings settings,
            List<FloatImage> normals, long[] seeds, AnomalyGenerator synthesizer, int anomaliesPerImage,
            long synthesisSeed, int draws, List<AdsCalibrator> rules) {
        int n = normals.size();
        if (n < 3 || seeds.length != n) {
            throw new IllegalArgumentException("the ADS rule study needs at least 3 held-out normal images, one seed each;"
                    + " got " + n + " images and " + seeds.length + " seeds");
        }
        for (AdsCalibrator rule : rules) {
            if (rule.noiseDraws() > draws) {
                throw new IllegalArgumentException(rule.describe() + " needs more than the study's " + draws + " draws");
            }
        }
        Random rng = new Random(synthesisSeed);
        List<FloatImage> anomalous = new ArrayList<>();
        for (FloatImage normal : normals) {
            for (int a = 0; a < anomaliesPerImage; a++) {
                anomalous.add(synthesizer.synthesize(normal, rng).image());
            }
        }
        // Anomaly a of image j gets draw draws + a of image j's seed: never one a normal trace used.
        long[] anomalySeeds = new long[n * anomaliesPerImage];
        for (int j = 0; j < n; j++) {
            for (int a = 0; a < anomaliesPerImage; a++) {
                anomalySeeds[j * anomaliesPerImage + a] = AdsCalibrator.drawSeed(seeds[j], draws + a);
            }
        }

        List<List<StepScore>> normalTraces;
        List<List<StepScore>> anomalyTraces;
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            AdaptiveReconstructor reconstructor = new AdaptiveReconstructor(model.network(), model.schedule(),
                    settings.maxStep(), settings.inferenceSteps(), new AnomalyScorer(features, settings.scoring()),
                    settings.ads().observing(0));
            NDArray normalImages = model.toModelSpace(manager, normals);
            progress.accept("ADS rule study: t_min from " + n + " held-out normal images");
            AdaptiveReconstructor observer = AdsCalibrator.DEFAULT.observer(reconstructor, normalImages, seeds,
                    settings.batchSize());
            progress.accept("ADS rule study: t_min " + observer.settings().minStep() + "; " + n * draws + " normal traces");
            normalTraces = AdsCalibrator.traces(observer, normalImages.repeat(0, draws),
                    AdsCalibrator.drawSeeds(seeds, draws), settings.batchSize());
            progress.accept("ADS rule study: " + anomalous.size() + " synthetic anomaly traces");
            anomalyTraces = AdsCalibrator.traces(observer, model.toModelSpace(manager, anomalous), anomalySeeds,
                    settings.batchSize());
        }
        List<Result> results = new ArrayList<>();
        for (AdsCalibrator rule : rules) {
            results.add(judge(rule, normalTraces, anomalyTraces, n, draws, anomaliesPerImage));
        }
        return results;
    }

    static Result judge(AdsCalibrator rule, List<List<StepScore>> normalTraces,
            List<List<StepScore>> anomalyTraces, int n, int draws, int anomaliesPerImage) {
        int falseTriggers = 0;
        int anomalyTriggers = 0;
        double triggerStepSum = 0;
        for (int j = 0; j < n; j++) {
            List<List<StepScore>> calibration = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (i != j) {
                    calibration.addAll(normalTraces.subList(i * draws, i * draws + rule.noiseDraws()));
                }
            }
            StepThresholds deltas = rule.deltas(calibration);
            for (List<StepScore> trace : normalTraces.subList(j * draws, (j + 1) * draws)) {
                falseTriggers += deltas.firstTrigger(trace) >= 0 ? 1 : 0;
            }
            for (List<StepScore> trace : anomalyTraces.subList(j * anomaliesPerImage, (j + 1) * anomaliesPerImage)) {
                int step = deltas.firstTrigger(trace);
                if (step >= 0) {
                    anomalyTriggers++;
                    triggerStepSum += step;
                }
            }
        }
        return new Result(rule, n * draws, falseTriggers, n * anomaliesPerImage, anomalyTriggers,
                anomalyTriggers == 0 ? Double.NaN : triggerStepSum / anomalyTriggers);
    }

    private static List<AdsCalibrator> candidates() {
        List<AdsCalibrator> rules = new ArrayList<>();
        double tolerance = AdsCalibrator.DEFAULT.settledTolerance();
        for (AdsCalibrator.Rule rule : List.of(AdsCalibrator.Rule.PER_STEP, AdsCalibrator.Rule.PROFILE)) {
            for (double margin : new double[] {0.1, 0.25}) {
                for (int draws : new int[] {1, DRAWS}) {
                    rules.add(new AdsCalibrator(rule, AdsCalibrator.DEFAULT.quantile(), margin, tolerance, draws));
                }
            }
        }
        // The pooled rule's quantile is already the per-image false-trigger bound: no margin.
        for (double quantile : new double[] {0.95, 0.99}) {
            for (int draws : new int[] {1, DRAWS}) {
                rules.add(new AdsCalibrator(AdsCalibrator.Rule.POOLED, quantile, 0, tolerance, draws));
            }
        }
        return List.copyOf(rules);
    }

    /** The results as a Markdown table, in the order given. */
    public static String markdown(List<Result> results) {
        StringBuilder md = new StringBuilder("| rule | false triggers (normal, left out) | anomaly triggers (synthetic)"
                + " | J | mean trigger step |\n|---|---|---|---|---|\n");
        for (Result r : results) {
            md.append(String.format(Locale.ROOT, "| %s | %d/%d (%.2f) | %d/%d (%.2f) | %.2f | %s |%n", r.rule().describe(),
                    r.falseTriggers(), r.normalTraces(), r.falseTriggerRate(), r.anomalyTriggers(), r.anomalies(),
                    r.anomalyTriggerRate(), r.youden(),
                    Double.isNaN(r.meanAnomalyTriggerStep()) ? "—" : String.format(Locale.ROOT, "%.0f",
                            r.meanAnomalyTriggerStep())));
        }
        return md.toString();
    }
}
