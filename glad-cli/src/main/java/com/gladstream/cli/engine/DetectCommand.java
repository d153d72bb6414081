package com.gladstream.cli.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.gladstream.glad.data.ImageLoader;
import com.gladstream.glad.data.StagedFolder;
import com.gladstream.glad.image.FloatImage;
import com.gladstream.glad.model.GladModel;
import com.gladstream.glad.model.ModelStore;
import com.gladstream.glad.pipeline.Detection;
import com.gladstream.glad.pipeline.DetectionReport;
import com.gladstream.glad.pipeline.DetectorSession;
import com.gladstream.glad.reconstruction.NoiseSeeds;
import com.gladstream.glad.scoring.HeatmapRenderer;
import com.gladstream.glad.scoring.Region;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code glad detect}: scores images with a calibrated model; a heatmap PNG and a JSON line per image. */
@Command(
        name = "detect",
        mixinStandardHelpOptions = true,
        description = {
            "Scores images with a trained model and writes a heatmap and a JSON line per image.",
            "Uses the model's calibrated GLAD settings. Writes OUT/<name>_heatmap.png and OUT/results.jsonl, and"
                    + " prints one JSON line per image: score, decision, threshold, adaptive step, anomalous regions"
                    + " (boxes in input pixels) and the heatmap path. All images are read before anything is written, so a"
                    + " corrupt image fails the run without partial output."
        })
public final class DetectCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Option(names = "--model-dir", required = true, paramLabel = "DIR", description = "A trained, calibrated model.")
    Path modelDir;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for heatmaps and results.jsonl.")
    Path out;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "PNG, JPEG or BMP images of any size.")
    List<Path> images;

    @Override
    public Integer call() throws Exception {
        // Decoded at their own size: the detector prepares them for the model (ModelInput) and maps
        // back to this size, so heatmaps and region boxes are in input pixels.
        List<FloatImage> inputs = new ArrayList<>(images.size());
        List<Long> seeds = new ArrayList<>(images.size());
        for (Path image : images) {
            inputs.add(ImageLoader.load(image, 3));
            seeds.add(NoiseSeeds.of(image.getFileName().toString()));
        }
        try (GladModel model = ModelStore.load(modelDir);
                DetectorSession session = DetectorSession.open(model)) {
            List<Detection> detections = session.detector().detect(inputs, seeds);
            HeatmapRenderer renderer = DetectionReport.heatmapRenderer(session.detector().settings().threshold());
            List<String> lines = new ArrayList<>(images.size());
            StagedFolder.replace(out, dir -> {
                for (int i = 0; i < images.size(); i++) {
                    String name = stem(images.get(i)) + "_heatmap.png";
                    renderer.writePng(inputs.get(i), detections.get(i).map(), dir.resolve(name));
                    lines.add(JSON.writeValueAsString(line(images.get(i), DetectionReport.of(detections.get(i)),
                            out.toAbsolutePath().resolve(name), model.metadata().version())));
                }
                Files.write(dir.resolve("results.jsonl"), lines);
            });
            PrintWriter w = spec.commandLine().getOut();
            lines.forEach(w::println);
            w.flush();
        }
        return 0;
    }

    private static Map<String, Object> line(Path image, DetectionReport d, Path heatmap, String version) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("image", image.toString());
        m.put("score", d.score());
        m.put("decision", d.anomalous() ? "ANOMALOUS" : "NORMAL");
        m.put("threshold", d.threshold());
        m.put("adaptive_step", d.adaptiveStep());
        List<Map<String, Object>> boxes = new ArrayList<>();
        for (Region r : d.regions()) {
            boxes.add(Map.of("x", r.x(), "y", r.y(), "width", r.width(), "height", r.height(), "peak", r.peak()));
        }
        m.put("regions", boxes);
        m.put("heatmap", heatmap.toString());
        m.put("model_version", version);
        return m;
    }

    private static String stem(Path image) {
        String name = image.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
