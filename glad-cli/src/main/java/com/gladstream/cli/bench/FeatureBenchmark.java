package com.gladstream.cli.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.gladstream.glad.benchmark.Timer;
import com.gladstream.glad.benchmark.Timing;
import com.gladstream.glad.features.FeatureExtractor;
import com.gladstream.glad.features.FeatureExtractors;
import com.gladstream.glad.image.FloatImage;
import com.gladstream.glad.image.ImageTensors;
import com.gladstream.glad.model.GladModel;
import com.gladstream.glad.scoring.AnomalyScorer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Section 3: the feature extractors, alone and inside the full anomaly map
 * ({@link AnomalyScorer#maps}), at the model's resolution and at twice it. All variants run
 * round-robin; each is compared with the unet-encoder extractor (the training command's default)
 * at the same size.
 */
final class FeatureBenchmark {

    private static final String BASELINE = "unet-encoder";

    private FeatureBenchmark() {}

    /** @param onnxModel the MobileNetV2 feature model, or null to leave it out (with a note saying so) */
    static Table run(BenchPlan plan, GladModel model, Path onnxModel) {
        Map<String, String> specs = new LinkedHashMap<>();
        specs.put(BASELINE, "unet-encoder");
        specs.put("pixel", "pixel");
        specs.put("random-conv", "random-conv");
        if (onnxModel != null) {
            specs.put("onnx mobilenetv2", "onnx:" + onnxModel);
        }
        List<Integer> sizes = List.of(plan.resolution(), 2 * plan.resolution());
        int batch = plan.featureBatch();
        Map<String, FeatureExtractor> extractors = new LinkedHashMap<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            specs.forEach((label, spec) -> extractors.put(label, FeatureExtractors.create(spec, model)));
            Map<String, Runnable> tasks = new LinkedHashMap<>();
            for (int size : sizes) {
                NDArray query = ImageTensors.toModelSpace(manager, BenchImages.generate(batch, size, 1));
                NDArray reference = ImageTensors.toModelSpace(manager, BenchImages.generate(batch, size, 2));
                extractors.forEach((label, extractor) -> {
                    AnomalyScorer scorer = new AnomalyScorer(extractor, AnomalyScorer.Settings.DEFAULTS);
                    tasks.put(extractKey(label, size), () -> {
                        try (NDManager scratch = manager.newSubManager()) {
                            scratch.tempAttachAll(query);
                            extractor.extract(query);
                        }
                    });
                    tasks.put(mapKey(label, size), () -> {
                        try (NDManager scratch = manager.newSubManager()) {
                            scratch.tempAttachAll(query, reference);
                            scorer.maps(query, reference);
                        }
                    });
                });
            }
            Map<String, Timing> timings = Timer.roundRobin(plan.features().warmup(), plan.features().measured(), tasks);
            return table(plan, sizes, specs.keySet().stream().toList(), timings, onnxModel == null);
        } finally {
            extractors.values().forEach(FeatureExtractor::close);
        }
    }

    private static Table table(BenchPlan plan, List<Integer> sizes, List<String> labels, Map<String, Timing> timings,
            boolean onnxMissing) {
        int batch = plan.featureBatch();
        Table table = new Table("3. Feature extractors and the full anomaly map (AnomalyScorer.maps), per image",
                "extractor", "size (px)", "extract ms/image", "range", "vs unet-encoder", "map ms/image", "range",
                "vs unet-encoder");
        for (int size : sizes) {
            Timing baseExtract = timings.get(extractKey(BASELINE, size)).perUnit(batch);
            Timing baseMap = timings.get(mapKey(BASELINE, size)).perUnit(batch);
            for (String label : labels) {
                Timing extract = timings.get(extractKey(label, size)).perUnit(batch);
                Timing map = timings.get(mapKey(label, size)).perUnit(batch);
                boolean baseline = label.equals(BASELINE);
                table.row(label, Integer.toString(size),
                        Cells.median(extract, 1000), Cells.range(extract, 1000),
                        baseline ? "baseline" : Cells.ratio(extract.ratioTo(baseExtract)),
                        Cells.median(map, 1000), Cells.range(map, 1000),
                        baseline ? "baseline" : Cells.ratio(map.ratioTo(baseMap)));
            }
        }
        table.note(String.format(Locale.ROOT, "Calls of %d images; median of %d rounds after %d warm-up, range min–max."
                + " A map scores one image against one reference: both go through the extractor, then nearest-neighbour"
                + " distances, resizing and smoothing. unet-encoder reads the %s model's encoder at t=20; pixel is raw"
                + " 4 and 8 px patches; onnx is MobileNetV2 (int8) at strides 4 and 8.",
                batch, plan.features().measured(), plan.features().warmup(), plan.preset()));
        if (onnxMissing) {
            table.note("ONNX MobileNetV2 skipped: " + BenchCommand.ONNX_MODEL_NAME + " not found (see --onnx-model).");
        }
        return table;
    }

    private static String extractKey(String label, int size) {
        return "extract " + label + " " + size;
    }

    private static String mapKey(String label, int size) {
        return "map " + label + " " + size;
    }
}
