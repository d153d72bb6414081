package com.gladstream.cli.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.gladstream.glad.benchmark.EngineProfile;
import com.gladstream.glad.benchmark.EngineProfile.OpTime;
import com.gladstream.glad.benchmark.Machine;
import com.gladstream.glad.benchmark.ProcessMemory;
import com.gladstream.glad.benchmark.Timer;
import com.gladstream.glad.benchmark.Timing;
import com.gladstream.glad.diffusion.unet.Kernels;
import com.gladstream.glad.diffusion.unet.UNet;
import com.gladstream.glad.diffusion.unet.UNetConfig;
import com.gladstream.glad.features.FeatureExtractor;
import com.gladstream.glad.features.FeatureExtractors;
import com.gladstream.glad.image.FloatImage;
import com.gladstream.glad.model.GladModel;
import com.gladstream.glad.pipeline.AnomalyDetector;
import com.gladstream.glad.pipeline.DenoisingModel;
import com.gladstream.glad.pipeline.DetectorSettings;
import com.gladstream.glad.pipeline.ReconstructionMode;
import com.gladstream.glad.scoring.AnomalyScorer;
import com.gladstream.glad.training.DiffusionTrainer;
import com.gladstream.glad.training.TrainingConfig;
import com.gladstream.glad.training.TrainingData;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.LongStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code glad bench engine}: the UNet against the machine's compute limit, measured in one run.
 * The limit is what the same engine reaches on a large matrix product and a large convolution; the
 * network's FLOPs are counted from its configuration ({@link UNet#flops}); each kernel lever of
 * {@link Kernels} is timed alone and together against {@link Kernels#REFERENCE}, round-robin; a
 * profile says where a forward's time goes; and the peak resident memory of GLAD detection is
 * read with each kernel set.
 */
@Command(name = "engine", mixinStandardHelpOptions = true,
        description = {"Measures the UNet forward and training step as fractions of the compute limit measured in the same run,"
                + " times each kernel lever against the reference kernels, profiles a forward per operator kind and reads"
                + " the peak memory of detection."})
public final class EngineBenchmark implements Callable<Integer> {

    /** The batch sizes compared: one image, and the worker's default micro-batch. */
    private static final int[] BATCHES = {1, 8};

    @Spec
    CommandSpec spec;

    @Option(names = "--preset", defaultValue = "cpu", paramLabel = "tiny|small|cpu", description = "Network to time (default: ${DEFAULT-VALUE}).")
    String preset;

    @Option(names = "--rounds", defaultValue = "5", paramLabel = "N", description = "Measured rounds after one warm-up (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--quick", description = "One measured round and the tiny preset: checks the command works.")
    boolean quick;

    @Option(names = "--out", paramLabel = "FILE", description = "Also write the tables as a Markdown section to FILE.")
    Path out;

    private record Variant(String name, Kernels kernels) {}

    private static final List<Variant> VARIANTS = List.of(
            new Variant("reference", Kernels.REFERENCE),
            new Variant("native GroupNorm only", new Kernels(true, false, false, false)),
            new Variant("chunked attention only", new Kernels(false, true, false, false)),
            new Variant("early release only", new Kernels(false, false, true, false)),
            new Variant("in-place only", new Kernels(false, false, false, true)),
            new Variant("fast (all four)", Kernels.FAST));

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        Machine machine = Machine.current();
        String network = quick ? "tiny" : preset;
        int measured = quick ? 1 : rounds;
        UNetConfig config = UNetConfig.preset(network, 3);
        BenchReport report = new BenchReport("Engine benchmark", spec, machine);
        report.header("network", String.format(Locale.ROOT, "%s preset, %d px RGB, %,d parameters, %.2f GFLOP per image forward",
                network, config.resolution(), new UNet(config).parameterCount(), new UNet(config).flops(1, config.resolution(), config.resolution()) / 1e9));
        report.header("engine", "PyTorch " + Engine.getEngine("PyTorch").getVersion() + ", " + JniUtils.getNumThreads()
                + " intra-op threads; OMP_WAIT_POLICY=" + System.getenv().getOrDefault("OMP_WAIT_POLICY", "(unset)")
                + ", MALLOC_ARENA_MAX=" + System.getenv().getOrDefault("MALLOC_ARENA_MAX", "(unset)")
                + ", LD_PRELOAD=" + System.getenv().getOrDefault("LD_PRELOAD", "(unset)"));
        report.printHeader(stdout);
        JniUtils.setGradMode(false);
        try (NDManager manager = NDManager.newBaseManager()) {
            progress("memory of GLAD detection per kernel set");
            Table memory = detectionMemory(network, config, quick ? 2 : 8);
            progress("the machine's attainable GFLOP/s");
            Limit limit = attainable(manager, measured);
            report.add(stdout, limit.table());
            Map<String, UNet> networks = networks(config, manager);
            progress("UNet forward, batch 1 and 8, every kernel set");
            report.add(stdout, forwardTable(config, networks, manager, measured, limit.gflops()));
            progress("training step");
            report.add(stdout, trainingTable(config, networks, manager, measured, limit.gflops(), network));
            progress("profile of one forward");
            report.add(stdout, profileTable(config, networks, manager));
            report.add(stdout, memory);
        }
        report.finish(stdout, out);
        return 0;
    }

    private static void progress(String message) {
        System.err.println("bench engine: " + message);
    }

    /** The best GFLOP/s of a large matrix product and a large convolution through the same engine, and their table. */
    private record Limit(double gflops, Table table) {}

    private static Limit attainable(NDManager manager, int measured) {
        int n = 1024; // smaller products are dominated by call overhead and understate the limit
        NDArray a = manager.randomNormal(new Shape(n, n));
        NDArray b = manager.randomNormal(new Shape(n, n));
        long matmulFlops = 2L * n * n * n;
        int batch = 8;
        NDArray image = manager.randomNormal(new Shape(batch, 64, 64, 64));
        NDArray kernel = manager.randomNormal(new Shape(64, 64, 3, 3));
        NDArray bias = manager.zeros(new Shape(64));
        long convFlops = 2L * 64 * 9 * 64 * 64 * 64 * batch;
        Map<String, Runnable> tasks = new LinkedHashMap<>();
        tasks.put("matmul", () -> {
            try (NDManager s = manager.newSubManager()) {
                s.tempAttachAll(a, b);
                a.matMul(b).toFloatArray();
            }
        });
        tasks.put("conv", () -> {
            try (NDManager s = manager.newSubManager()) {
                s.tempAttachAll(image, kernel, bias);
                Conv2d.conv2d(image, kernel, bias, new Shape(1, 1), new Shape(1, 1)).singletonOrThrow().toFloatArray();
            }
        });
        Map<String, Timing> t = Timer.roundRobin(1, Math.max(3, measured), tasks);
        double matmul = matmulFlops / t.get("matmul").median() / 1e9;
        double conv = convFlops / t.get("conv").median() / 1e9;
        double limit = Math.max(matmul, conv);
        Table table = new Table("E1. Attainable GFLOP/s on this machine, through the same engine",
                "operation", "GFLOP", "ms", "range (ms)", "GFLOP/s");
        table.row(n + "×" + n + " · " + n + "×" + n + " matrix product", Cells.number(matmulFlops / 1e9),
                Cells.median(t.get("matmul"), 1000), Cells.range(t.get("matmul"), 1000), Cells.number(matmul));
        table.row("3×3 convolution, " + batch + "×64×64×64 → 64 channels", Cells.number(convFlops / 1e9),
                Cells.median(t.get("conv"), 1000), Cells.range(t.get("conv"), 1000), Cells.number(conv));
        table.note("The limit below is the better of the two, " + Cells.number(limit) + " GFLOP/s; every fraction in this run"
                + " is of it, so the fractions compare across machines. Median of the measured rounds.");
        return new Limit(limit, table);
    }

    /** One network per kernel set, all with the same random weights. */
    private static Map<String, UNet> networks(UNetConfig config, NDManager manager) {
        UNet first = new UNet(config, Kernels.REFERENCE);
        first.initialize(manager, 1);
        Map<String, NDArray> weights = new LinkedHashMap<>();
        first.getParameters().forEach(p -> weights.put(p.getKey(), p.getValue().getArray()));
        Map<String, UNet> networks = new LinkedHashMap<>();
        for (Variant v : VARIANTS) {
            UNet unet = new UNet(config, v.kernels());
            unet.setWeights(manager, weights);
            networks.put(v.name(), unet);
        }
        return networks;
    }

    private static Table forwardTable(UNetConfig config, Map<String, UNet> networks, NDManager manager, int measured,
            double limit) {
        int size = config.resolution();
        Map<String, Runnable> tasks = new LinkedHashMap<>();
        for (int batch : BATCHES) {
            NDArray x = manager.randomNormal(new Shape(batch, 3, size, size));
            NDArray t = manager.create(timesteps(batch));
            networks.forEach((name, unet) -> tasks.put(name + "|" + batch, () -> forward(unet, x, t)));
        }
        Map<String, Timing> timings = Timer.roundRobin(1, measured, tasks);
        long flopsPerImage = networks.values().iterator().next().flops(1, size, size);
        Table table = new Table(String.format(Locale.ROOT, "E2. UNet forward at %d px: each kernel lever against the reference", size),
                "kernels", "batch", "ms/image", "range", "GFLOP/s", "of the limit", "speed-up vs reference", "batch 8 vs batch 1 per image");
        for (int batch : BATCHES) {
            for (String name : networks.keySet()) {
                Timing perImage = timings.get(name + "|" + batch).perUnit(batch);
                Timing reference = timings.get(VARIANTS.get(0).name() + "|" + batch).perUnit(batch);
                Timing single = timings.get(name + "|1");
                double gflops = flopsPerImage / perImage.median() / 1e9;
                table.row(name, Integer.toString(batch), Cells.median(perImage, 1000), Cells.range(perImage, 1000),
                        Cells.number(gflops), Cells.number(gflops / limit),
                        name.equals(VARIANTS.get(0).name()) ? "baseline" : Cells.ratio(1 / perImage.ratioTo(reference)),
                        batch == 1 ? "" : Cells.ratio(1 / perImage.ratioTo(single)));
            }
        }
        return table.note(String.format(Locale.ROOT, "%.2f GFLOP per image, counted from the configuration (convolutions,"
                + " dense layers and attention products; element-wise work not counted). Median of %d rounds after 1 warm-up;"
                + " each round runs every row; gradients off. \"batch 8 vs batch 1\" above 1× means batching pays.",
                flopsPerImage / 1e9, measured));
    }

    private static Table trainingTable(UNetConfig config, Map<String, UNet> networks, NDManager manager, int measured,
            double limit, String network) {
        TrainingConfig recipe = TrainingConfig.forPreset(network).build();
        int crop = recipe.cropSize() > 0 ? recipe.cropSize() : config.resolution();
        int batch = recipe.batchSize();
        NDArray x = manager.randomNormal(new Shape(batch, 3, crop, crop));
        NDArray target = manager.randomNormal(new Shape(batch, 3, crop, crop));
        NDArray t = manager.create(timesteps(batch));
        Map<String, Runnable> tasks = new LinkedHashMap<>();
        for (String name : List.of(VARIANTS.get(0).name(), VARIANTS.get(VARIANTS.size() - 1).name())) {
            UNet unet = networks.get(name);
            tasks.put(name, () -> trainingStep(unet, x, t, target));
        }
        Map<String, Timing> timings = Timer.roundRobin(1, measured, tasks);
        long flops = 3 * networks.values().iterator().next().flops(batch, crop, crop);
        Table table = new Table(String.format(Locale.ROOT, "E3. Training step: forward and backward, batch %d of %d px crops", batch, crop),
                "kernels", "s/step", "range", "GFLOP/s", "of the limit", "speed-up vs reference");
        Timing reference = timings.get(VARIANTS.get(0).name());
        timings.forEach((name, timing) -> {
            double gflops = flops / timing.median() / 1e9;
            table.row(name, Cells.median(timing, 1), Cells.range(timing, 1), Cells.number(gflops), Cells.number(gflops / limit),
                    timing == reference ? "baseline" : Cells.ratio(1 / timing.ratioTo(reference)));
        });
        return table.note(String.format(Locale.ROOT, "%.2f GFLOP per step: the forward's count times three (backward ≈ twice"
                + " the forward). The optimiser's element-wise update is not included. Early release does not apply in"
                + " training (backward needs the intermediates), nor does in-place.", flops / 1e9));
    }

    private static Table profileTable(UNetConfig config, Map<String, UNet> networks, NDManager manager) {
        int size = config.resolution();
        Table table = new Table("E4. Where a forward's time goes: self time per operator kind (PyTorch profiler)",
                "kernels", "batch", "operator kind", "ms", "share", "calls", "largest operators");
        for (String name : List.of(VARIANTS.get(0).name(), VARIANTS.get(VARIANTS.size() - 1).name())) {
            for (int batch : BATCHES) {
                NDArray x = manager.randomNormal(new Shape(batch, 3, size, size));
                NDArray t = manager.create(timesteps(batch));
                UNet unet = networks.get(name);
                forward(unet, x, t); // warm
                List<OpTime> ops = EngineProfile.record(() -> forward(unet, x, t));
                double total = ops.stream().mapToDouble(OpTime::selfMillis).sum();
                for (Map.Entry<String, Double> kind : EngineProfile.byKind(ops).entrySet()) {
                    List<OpTime> ofKind = ops.stream().filter(op -> op.kind().equals(kind.getKey())).toList();
                    table.row(name, Integer.toString(batch), kind.getKey(), Cells.number(kind.getValue()),
                            String.format(Locale.ROOT, "%.1f%%", 100 * kind.getValue() / total),
                            Integer.toString(ofKind.stream().mapToInt(OpTime::calls).sum()),
                            String.join(", ", ofKind.stream().limit(3).map(op -> op.name().replace("aten::", "")
                                    + " " + Cells.number(op.selfMillis())).toList()));
                }
            }
        }
        return table.note("One profiled forward per row group after a warm-up, on the calling thread; self time is an"
                + " operator's time minus the operators it called. The profiler adds its own overhead per operator.");
    }

    /**
     * Peak resident memory of GLAD detection (batch of {@code images}, the default unet-encoder maps),
     * fast kernels first, each after resetting the process's peak.
     */
    private static Table detectionMemory(String network, UNetConfig config, int images) {
        TrainingData data = new TrainingData("bench", BenchImages.generate(4, config.resolution(), 0), "sha256:bench");
        List<FloatImage> inputs = BenchImages.generate(images, config.resolution(), 1);
        List<Long> seeds = LongStream.range(0, images).boxed().toList();
        Table table = new Table(String.format(Locale.ROOT,
                "E5. Peak resident memory of GLAD detection: %d images in one batch, T=750, S=5", images),
                "kernels", "RSS before (MiB)", "peak RSS during detection (MiB)", "peak − before (MiB)", "s");
        TrainingConfig oneStep = TrainingConfig.forPreset(network).steps(1).showProgress(false).build();
        boolean exact = true;
        try (GladModel fast = new DiffusionTrainer(oneStep).train(data, network, config)) {
            List<Variant> fastFirst = new ArrayList<>(VARIANTS);
            Collections.reverse(fastFirst);
            for (Variant v : fastFirst) {
                try (GladModel model = fast.withKernels(v.kernels());
                        FeatureExtractor features = FeatureExtractors.create("unet-encoder", model)) {
                    AnomalyDetector detector = AnomalyDetector.create(DenoisingModel.of(model), features,
                            new DetectorSettings(ReconstructionMode.GLAD, 750, 5, DetectionBenchmark.NEVER_TRIGGERS,
                                    AnomalyScorer.Settings.DEFAULTS, images, Double.NaN));
                    long start = System.nanoTime();
                    ProcessMemory.PeakDuring memory = ProcessMemory.peakDuring(() -> detector.detect(inputs, seeds));
                    double seconds = (System.nanoTime() - start) / 1e9;
                    exact &= memory.exact();
                    table.row(v.name(), Cells.mebibytes(memory.beforeBytes()), Cells.mebibytes(memory.peakBytes()),
                            Cells.mebibytes(memory.riseBytes()), Cells.number(seconds));
                }
            }
        }
        return table.note("Measured first in the process, the fast kernels first and the reference last; the peak is "
                + (exact ? "the process's VmHWM after resetting it to the resident size just before the call"
                        : "the highest VmRSS sampled every millisecond during the call (this kernel does not let a process reset its VmHWM)")
                + ", so it includes the JVM, the engine"
                + " and the model (the RSS before). Memory the allocator keeps from one row raises the next row's RSS before,"
                + " so rows compare by the peak's rise over it; the first row's peak is what a detecting process holds.");
    }

    private static float[] timesteps(int batch) {
        float[] t = new float[batch];
        for (int i = 0; i < batch; i++) {
            t[i] = 100 + (800f * i) / Math.max(1, batch - 1);
        }
        return t;
    }

    private static void forward(UNet unet, NDArray x, NDArray t) {
        try (NDManager call = x.getManager().newSubManager()) {
            call.tempAttachAll(x, t);
            unet.forward(new ParameterStore(call, false), new NDList(x, t), false).singletonOrThrow().toFloatArray();
        }
    }

    private static void trainingStep(UNet unet, NDArray x, NDArray t, NDArray target) {
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(true);
        unet.getParameters().values().forEach(p -> p.getArray().setRequiresGradient(true));
        try (NDManager call = x.getManager().newSubManager();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            call.tempAttachAll(x, t, target);
            NDArray out = unet.forward(new ParameterStore(call, false), new NDList(x, t), true).singletonOrThrow();
            collector.backward(out.sub(target).square().mean());
        } finally {
            unet.getParameters().values().forEach(p -> p.getArray().setRequiresGradient(false));
            JniUtils.setGradMode(gradMode);
        }
    }
}
