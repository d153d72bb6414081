package com.gladstream.cli.engine;

import com.gladstream.glad.data.synthetic.DemoCategory;
import com.gladstream.glad.data.synthetic.SyntheticCategoryOptions;
import com.gladstream.glad.training.TrainingRecipe;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code glad quickstart}: the whole offline method on data made in code — generate, train, evaluate —
 * by running the same subcommands a user would, so it shows exactly what they do. It trains the demo's
 * recipe ({@link TrainingRecipe#demo()}) on the demo's category ({@link DemoCategory}).
 */
@Command(
        name = "quickstart",
        mixinStandardHelpOptions = true,
        description = {
            "Generates a synthetic category, trains a small model on it, evaluates it and writes the HTML report.",
            "Uses the demo's training recipe and needs no downloaded data. Takes about three minutes on two CPU"
                    + " cores."
        })
public final class QuickstartCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--out", defaultValue = "quickstart", paramLabel = "DIR",
            description = "Working folder for data, model and report (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--seed", defaultValue = "1", description = "Seed for the generated data (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() {
        CommandLine root = spec.root().commandLine();
        Path data = out.resolve("data");
        Path category = data.resolve(DemoCategory.NAME);
        Path model = out.resolve("model");
        Path report = out.resolve("report");
        List<String[]> stages = new ArrayList<>();
        if (!category.toFile().exists()) {
            stages.add(generate(data, DemoCategory.options(seed)));
        }
        stages.add(train(category, model, TrainingRecipe.demo()));
        stages.add(new String[] {"eval", "--data", category.toString(), "--model-dir", model.toString(),
            "--out", report.toString()});
        PrintWriter w = spec.commandLine().getOut();
        for (String[] stage : stages) {
            w.println("== glad " + String.join(" ", stage));
            w.flush();
            int code = root.execute(stage);
            if (code != 0) {
                return code;
            }
        }
        w.println("open " + report.toAbsolutePath().resolve("report.html") + " to see every test image with its heatmap");
        w.flush();
        return 0;
    }

    private static String[] generate(Path data, SyntheticCategoryOptions o) {
        return new String[] {"generate", "--out", data.toString(), "--category", o.name(),
            "--kind", o.kind().name().toLowerCase(Locale.ROOT), "--size", Integer.toString(o.size()),
            "--train", Integer.toString(o.trainGood()), "--test-good", Integer.toString(o.testGood()),
            "--test-defect", Integer.toString(o.testPerDefect()), "--seed", Long.toString(o.seed())};
    }

    private static String[] train(Path category, Path model, TrainingRecipe r) {
        List<String> args = new ArrayList<>(List.of("train", "--data", category.toString(), "--model-dir", model.toString(),
                "--preset", r.preset(), "--steps", Integer.toString(r.steps()), "--batch-size", Integer.toString(r.batchSize()),
                "--crop", Integer.toString(r.cropSize()), "--seed", Long.toString(r.seed()),
                "--channels", Integer.toString(r.channels()), "--features", r.features(),
                "--max-step", r.maxStep() == TrainingRecipe.AUTO_MAX_STEP ? "auto" : Integer.toString(r.maxStep()), "--inference-steps", Integer.toString(r.inferenceSteps())));
        if (r.atp()) {
            args.add("--atp");
        }
        if (r.textures() != null) {
            args.addAll(List.of("--textures", r.textures().toString()));
        }
        return args.toArray(String[]::new);
    }
}
