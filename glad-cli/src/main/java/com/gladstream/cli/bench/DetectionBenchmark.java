package com.gladstream.cli.bench;

import com.gladstream.glad.benchmark.Timer;
import com.gladstream.glad.benchmark.Timing;
import com.gladstream.glad.features.FeatureExtractor;
import com.gladstream.glad.image.FloatImage;
import com.gladstream.glad.pipeline.AnomalyDetector;
import com.gladstream.glad.pipeline.DenoisingModel;
import com.gladstream.glad.pipeline.Detection;
import com.gladstream.glad.pipeline.DetectorSettings;
import com.gladstream.glad.pipeline.ReconstructionMode;
import com.gladstream.glad.reconstruction.AdsSettings;
import com.gladstream.glad.scoring.AnomalyScorer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToIntFunction;
import java.util.stream.LongStream;

/**
 * Sections 1 and 2: {@link AnomalyDetector#detect} of the same images in one batch against one image
 * at a time, in GLAD and fixed-step mode. The four variants run round-robin; section 2 reads the
 * GLAD-against-fixed ratio and the per-image work counts off the same runs.
 */
final class DetectionBenchmark {

    /**
     * δ = ∞: no image ever triggers, so GLAD compares the two estimates at every step. That is what
     * a normal image costs, and most images are normal; an anomalous one stops comparing once it triggers.
     */
    static final AdsSettings NEVER_TRIGGERS = AdsSettings.of(Double.POSITIVE_INFINITY, 0);

    private record Variant(ReconstructionMode mode, int batchSize) {
        String modeName() {
            return mode.name().toLowerCase(Locale.ROOT);
        }

        String label() {
            return modeName() + ", batch " + batchSize;
        }
    }

    private DetectionBenchmark() {}

    static List<Table> run(BenchPlan plan, DenoisingModel model, FeatureExtractor features, List<FloatImage> images) {
        List<Long> seeds = LongStream.range(0, images.size()).boxed().toList();
        List<Variant> variants = new ArrayList<>();
        for (ReconstructionMode mode : List.of(ReconstructionMode.FIXED, ReconstructionMode.GLAD)) {
            variants.add(new Variant(mode, 1));
            variants.add(new Variant(mode, images.size()));
        }
        Map<Variant, List<Detection>> lastDetections = new HashMap<>();
        Map<String, Runnable> tasks = new LinkedHashMap<>();
        for (Variant variant : variants) {
            AnomalyDetector detector = detector(plan, model, features, variant);
            tasks.put(variant.label(), () -> lastDetections.put(variant, detector.detect(images, seeds)));
        }
        Map<String, Timing> byLabel = Timer.roundRobin(plan.detection().warmup(), plan.detection().measured(), tasks);
        Map<Variant, Timing> timings = new LinkedHashMap<>();
        variants.forEach(variant -> timings.put(variant, byLabel.get(variant.label())));
        return List.of(batchingTable(plan, images.size(), timings),
                adsCostTable(plan, images.size(), timings, lastDetections));
    }

    private static AnomalyDetector detector(BenchPlan plan, DenoisingModel model, FeatureExtractor features, Variant variant) {
        return AnomalyDetector.create(model, features, new DetectorSettings(variant.mode(), plan.maxStep(),
                plan.inferenceSteps(), NEVER_TRIGGERS, AnomalyScorer.Settings.DEFAULTS, variant.batchSize(), Double.NaN));
    }

    private static Table batchingTable(BenchPlan plan, int n, Map<Variant, Timing> timings) {
        Table table = new Table(String.format(Locale.ROOT,
                "1. Batched detection: AnomalyDetector.detect of %d images, batch %d vs one at a time (T=%d, S=%d)",
                n, n, plan.maxStep(), plan.inferenceSteps()),
                "mode", "batch", "images/s", "range", "speed-up vs batch 1");
        timings.forEach((variant, timing) -> {
            Timing oneAtATime = timings.get(new Variant(variant.mode(), 1));
            table.row(variant.modeName(), Integer.toString(variant.batchSize()), Cells.rate(timing, n),
                    Cells.rateRange(timing, n),
                    variant.batchSize() == 1 ? "baseline" : Cells.ratio(1 / timing.ratioTo(oneAtATime)));
        });
        return table.note(roundsNote(plan) + " Each call includes the final anomaly map; the feature extractor is"
                + " unet-encoder. GLAD runs with δ = ∞ (see section 2).");
    }

    private static Table adsCostTable(BenchPlan plan, int n, Map<Variant, Timing> timings,
            Map<Variant, List<Detection>> detections) {
        Table table = new Table(String.format(Locale.ROOT,
                "2. ADS cost: GLAD mode vs fixed-step at the same T=%d, S=%d", plan.maxStep(), plan.inferenceSteps()),
                "mode", "batch", "s/image", "range", "time vs fixed", "UNet evaluations/image", "feature extractions/image");
        timings.forEach((variant, timing) -> {
            Timing perImage = timing.perUnit(n);
            Timing fixed = timings.get(new Variant(ReconstructionMode.FIXED, variant.batchSize())).perUnit(n);
            List<Detection> done = detections.get(variant);
            table.row(variant.modeName(), Integer.toString(variant.batchSize()), Cells.median(perImage, 1),
                    Cells.range(perImage, 1),
                    variant.mode() == ReconstructionMode.FIXED ? "baseline" : Cells.ratio(perImage.ratioTo(fixed)),
                    Cells.number(mean(done, Detection::unetEvaluations)),
                    Cells.number(mean(done, Detection::featureExtractions)));
        });
        return table.note(roundsNote(plan) + " δ = ∞, so no image triggers and GLAD compares at every step: the cost"
                + " of a normal image, which is most images (an anomalous one stops comparing when it triggers)."
                + " Feature extractions count images sent through the extractor: two per ADS comparison, two for the"
                + " final map.");
    }

    private static String roundsNote(BenchPlan plan) {
        return String.format(Locale.ROOT, "Median of %d rounds after %d warm-up; range is min–max over the rounds;"
                + " each round runs every row in turn.", plan.detection().measured(), plan.detection().warmup());
    }

    private static double mean(List<Detection> detections, ToIntFunction<Detection> count) {
        return detections.stream().mapToInt(count).average().orElse(0);
    }
}
