package com.gladstream.cli.bench;

import ai.djl.engine.Engine;
import com.gladstream.glad.benchmark.Machine;
import com.gladstream.glad.diffusion.unet.UNet;
import com.gladstream.glad.features.FeatureExtractor;
import com.gladstream.glad.features.FeatureExtractors;
import com.gladstream.glad.image.FloatImage;
import com.gladstream.glad.model.GladModel;
import com.gladstream.glad.pipeline.DenoisingModel;
import com.gladstream.glad.training.DiffusionTrainer;
import com.gladstream.glad.training.TrainingConfig;
import com.gladstream.glad.training.TrainingData;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code glad bench}: speed and memory of detection, feature extraction and training, each as a
 * ratio against a baseline measured in the same process. Prints tables; {@code --out} also writes
 * them as a Markdown section for docs/BENCHMARKS.md, with the command line and the machine.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        subcommands = {WorkerBenchmark.class, EngineBenchmark.class},
        description = {
            "Measures detection and training speed and memory as ratios against a baseline in the same process.",
            "On a randomly initialised model of the preset: (1) batched vs one-at-a-time detection, (2) GLAD's"
                    + " ADS cost vs fixed-step reconstruction, (3) feature extractors and anomaly maps at the model's"
                    + " resolution and twice it, (4) training steps on half-size crops vs whole images, (5) memory after"
                    + " each section and over repeated detection calls. Numbers taken while other work loads the machine"
                    + " are distorted: run it on an idle machine (the load average at the start is recorded)."
        })
public final class BenchCommand implements Callable<Integer> {

    static final String ONNX_MODEL_NAME = "mobilenetv2-int8-features.onnx";

    @Spec
    CommandSpec spec;

    @Option(names = "--out", paramLabel = "FILE", description = "Also write the results as a Markdown section to FILE.")
    Path out;

    @Option(names = "--quick", description = "A reduced run (fewer images, steps and repetitions) that checks the command works.")
    boolean quick;

    @Option(names = "--preset", defaultValue = "cpu", paramLabel = "tiny|cpu|large",
            description = "Network preset to time (default: ${DEFAULT-VALUE}).")
    String preset;

    @Option(names = "--onnx-model", paramLabel = "FILE",
            description = "MobileNetV2 feature model for section 3 (default: " + ONNX_MODEL_NAME
                    + " in ../shared/models beside the repository, else /work/shared/models; skipped when absent).")
    Path onnxModel;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter log = spec.commandLine().getErr();
        BenchReport report = new BenchReport("Benchmark", spec, Machine.current());
        BenchPlan plan = quick ? BenchPlan.quick(preset) : BenchPlan.full(preset);
        Path onnx = onnxModel != null ? onnxModel : sharedOnnxModel();
        if (onnx != null && !Files.isRegularFile(onnx)) {
            throw new IllegalArgumentException("ONNX feature model not found: " + onnx);
        }
        report.header("engine", "PyTorch " + Engine.getEngine("PyTorch").getVersion()
                + "; OMP_WAIT_POLICY=" + System.getenv().getOrDefault("OMP_WAIT_POLICY", "(unset)"));
        report.header("model", String.format(Locale.ROOT, "%s preset, %d px RGB, %,d parameters, randomly initialised",
                plan.preset(), plan.resolution(), new UNet(plan.network()).parameterCount()));
        report.printHeader(stdout);
        MemorySection memory = new MemorySection();
        memory.snapshot("start");

        List<FloatImage> trainingImages = BenchImages.generate(16, plan.resolution(), 0);
        List<FloatImage> images = BenchImages.generate(plan.images(), plan.resolution(), 1);
        TrainingData data = new TrainingData("bench", trainingImages, "sha256:bench");
        progress(log, "building a " + plan.preset() + " model (one training step from random initialisation)");
        try (GladModel model = untrainedModel(plan, data);
                FeatureExtractor features = FeatureExtractors.create("unet-encoder", model)) {
            memory.snapshot("model ready");
            DenoisingModel denoising = DenoisingModel.of(model);

            progress(log, "1-2/5 batched detection and ADS cost");
            DetectionBenchmark.run(plan, denoising, features, images).forEach(table -> report.add(stdout, table));
            memory.snapshot("1-2 detection");

            progress(log, "3/5 feature extractors");
            report.add(stdout, FeatureBenchmark.run(plan, model, onnx));
            memory.snapshot("3 features");

            progress(log, "4/5 training steps");
            report.add(stdout, TrainingStepBenchmark.run(plan, data));
            memory.snapshot("4 training");

            progress(log, "5/5 native memory over repeated detection");
            Table leakCheck = MemorySection.leakCheck(plan, denoising, features, images);
            memory.snapshot("5 memory check");
            report.add(stdout, memory.snapshotTable());
            report.add(stdout, leakCheck);
        }
        report.finish(stdout, out);
        return 0;
    }

    /** A model of the preset's shape, as the training package makes it: timing does not depend on the weights. */
    private static GladModel untrainedModel(BenchPlan plan, TrainingData data) {
        TrainingConfig oneStep = TrainingConfig.forPreset(plan.preset()).steps(1).showProgress(false).build();
        return new DiffusionTrainer(oneStep).train(data, plan.preset(), plan.network());
    }

    private static void progress(PrintWriter log, String message) {
        log.println("bench: " + message);
        log.flush();
    }

    /**
     * The experiment MobileNetV2 in the shared folder: {@code ../shared/models} beside the repository
     * (found from where this class was loaded), else {@code /work/shared/models}; null when neither has it.
     */
    private static Path sharedOnnxModel() {
        return Stream.of(repositoryRoot().resolve("../shared/models"), Path.of("/work/shared/models"))
                .map(dir -> dir.resolve(ONNX_MODEL_NAME).normalize())
                .filter(Files::isRegularFile)
                .findFirst()
                .orElse(null);
    }

    /** The nearest ancestor of this class's jar or classes folder holding glad-cli/, else the working directory. */
    private static Path repositoryRoot() {
        try {
            Path dir = Path.of(BenchCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (; dir != null; dir = dir.getParent()) {
                if (Files.isDirectory(dir.resolve("glad-cli"))) {
                    return dir;
                }
            }
        } catch (URISyntaxException | RuntimeException e) {
            // fall through to the working directory
        }
        return Path.of("").toAbsolutePath();
    }
}
