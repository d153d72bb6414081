package com.gladstream.cli.engine;

import com.gladstream.glad.data.MvtecCategory;
import com.gladstream.glad.data.StagedFolder;
import com.gladstream.glad.evaluation.EvaluationReport;
import com.gladstream.glad.evaluation.Evaluator;
import com.gladstream.glad.evaluation.ReportWriter;
import com.gladstream.glad.model.GladModel;
import com.gladstream.glad.model.ModelStore;
import com.gladstream.glad.pipeline.AnomalyDetector;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code glad eval}: measures a model on a category's test images and writes report.json and report.html. */
@Command(
        name = "eval",
        mixinStandardHelpOptions = true,
        description = {
            "Evaluates a model on DIR/test: the seven metrics (I-AUROC, I-AP, I-F1max, P-AUROC, P-AP, P-F1max, PRO),",
            "each image's score and decision, and for each image its input, reconstruction and heatmap overlay.",
            "A mode or step other than the model's calibrated one is first re-calibrated on the held-out normal",
            "images (never on test images)."
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
            description = "Pixel grid for the pixel metrics and written images (default: ${DEFAULT-VALUE}).")
    int evalSize;

    @Mixin
    DetectorOptions detector;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        MvtecCategory category = MvtecCategory.open(data);
        try (GladModel model = ModelStore.load(modelDir);
                ModelSession session = ModelSession.open(model, detector, category, err)) {
            EvaluationReport[] report = new EvaluationReport[1];
            StagedFolder.replace(out, dir -> {
                Path images = Files.createDirectories(dir.resolve("images"));
                AnomalyDetector d = session.detector();
                report[0] = new Evaluator(evalSize, line -> { err.println(line); err.flush(); })
                        .evaluate(category, d, model.metadata().version(),
                                session.features().name(), images, "images");
                ReportWriter.write(report[0], dir);
            });
            print(report[0]);
        }
        return 0;
    }

    private void print(EvaluationReport r) {
        PrintWriter w = spec.commandLine().getOut();
        w.printf(Locale.ROOT, "%s, %s mode, T=%d, %d test images%n", r.category(), r.mode(), r.maxStep(), r.images().size());
        ReportWriter.metricsByName(r.metrics()).forEach((k, v) -> w.printf(Locale.ROOT, "  %-12s %.4f%n", k, v));
        w.printf(Locale.ROOT, "  %-12s %.3f%n", "s/image", r.cost().secondsPerImage());
        w.printf("report: %s%n", out.toAbsolutePath().resolve("report.html"));
        w.flush();
    }
}
