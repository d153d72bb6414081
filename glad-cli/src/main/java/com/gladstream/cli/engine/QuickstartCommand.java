package com.gladstream.cli.engine;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code glad quickstart}: the whole offline method on data made in code — generate, train, evaluate —
 * by running the same subcommands a user would, so it shows exactly what they do.
 */
@Command(
        name = "quickstart",
        mixinStandardHelpOptions = true,
        description = {
            "Generates a synthetic category, trains a small model on it, evaluates it and writes the HTML",
            "report. Needs no downloaded data. Runs in a few minutes on two CPU cores."
        })
public final class QuickstartCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--out", defaultValue = "quickstart", paramLabel = "DIR",
            description = "Working folder for data, model and report (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--preset", defaultValue = "tiny", paramLabel = "tiny|cpu|large",
            description = "Network size (default: ${DEFAULT-VALUE}).")
    String preset;

    @Option(names = "--steps", defaultValue = "800", paramLabel = "N", description = "Training steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--seed", defaultValue = "1", description = "Seed for data and training (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() {
        CommandLine root = spec.root().commandLine();
        Path data = out.resolve("data");
        Path category = data.resolve("wood");
        Path model = out.resolve("model");
        Path report = out.resolve("report");
        String s = Long.toString(seed);
        String[][] stages = {
            category.toFile().exists() ? null
                    : new String[] {"generate", "--out", data.toString(), "--category", "wood", "--size", "128", "--seed", s},
            {"train", "--data", category.toString(), "--model-dir", model.toString(), "--preset", preset,
                "--steps", Integer.toString(steps), "--seed", s},
            {"eval", "--data", category.toString(), "--model-dir", model.toString(), "--out", report.toString()},
        };
        PrintWriter w = spec.commandLine().getOut();
        for (String[] stage : stages) {
            if (stage == null) {
                continue;
            }
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
}
