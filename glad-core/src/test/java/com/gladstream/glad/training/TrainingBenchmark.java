package com.gladstream.glad.training;

import com.gladstream.glad.diffusion.unet.UNet;
import com.gladstream.glad.diffusion.unet.UNetConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Measures seconds per training step of candidate network shapes, to choose the {@code cpu}
 * preset. Not a test: run it by hand on the target machine, e.g.
 * {@code java -cp <test classpath> com.gladstream.glad.training.TrainingBenchmark 12}.
 * Each candidate trains on 50 synthetic 128 px images; the first two steps (warm-up) are excluded.
 * Also reports resident memory growth between the third and the last step.
 */
public final class TrainingBenchmark {

    private record Candidate(String name, UNetConfig network, int cropSize) {}

    public static void main(String[] args) throws Exception {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 12;
        List<Candidate> candidates = List.of(
                new Candidate("64px full, base 32", config(64, 32), 0),
                new Candidate("128px full, base 32", config(128, 32), 0),
                new Candidate("128px crop 64, base 32", config(128, 32), 64),
                new Candidate("128px crop 64, base 48", config(128, 48), 64),
                new Candidate("128px crop 64, base 64", config(128, 64), 64));
        TrainingData data = new TrainingData("bench", TinyImages.generate(50, 3, 128, 1), "sha256:bench");
        for (Candidate c : candidates) {
            long[] times = new long[steps + 1];
            long[] rss = new long[steps + 1];
            TrainingConfig config = TrainingConfig.builder().steps(steps).batchSize(8).cropSize(c.cropSize())
                    .showProgress(false).build();
            new DiffusionTrainer(config).addListener(p -> {
                times[(int) p.step()] = System.nanoTime();
                rss[(int) p.step()] = residentKiB();
            }).train(data, "bench", c.network()).close();
            double secondsPerStep = (times[steps] - times[2]) / 1e9 / (steps - 2);
            System.out.printf(Locale.ROOT, "%-26s %,10d params  %.2f s/step  (%.0f min for 3000 steps)  RSS %+d MiB over steps 3..%d%n",
                    c.name(), new UNet(c.network()).parameterCount(), secondsPerStep, secondsPerStep * 3000 / 60,
                    (rss[steps] - rss[3]) / 1024, steps);
        }
    }

    private static UNetConfig config(int resolution, int base) {
        return new UNetConfig(resolution, 3, base, List.of(1, 2, 2), 1, List.of(2), 4, 8);
    }

    private static long residentKiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (Exception e) {
            return 0;
        }
        return 0;
    }
}
