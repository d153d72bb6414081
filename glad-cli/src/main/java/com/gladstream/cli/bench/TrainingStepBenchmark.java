package com.gladstream.cli.bench;

import com.gladstream.glad.benchmark.ProcessMemory;
import com.gladstream.glad.benchmark.Timing;
import com.gladstream.glad.training.DiffusionTrainer;
import com.gladstream.glad.training.TrainingConfig;
import com.gladstream.glad.training.TrainingData;
import com.gladstream.glad.training.TrainingListener;
import com.gladstream.glad.training.TrainingProgress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Section 4: seconds per optimiser step when training on random crops of half the model's
 * resolution (the {@code cpu} preset's recipe: 64 px crops of 128 px images) against whole images.
 * The network is fully convolutional, so crops cut training cost while inference still sees the
 * whole image. Also checks that native memory stays flat over the measured steps.
 */
final class TrainingStepBenchmark {

    /** The training command's default batch size. */
    private static final int BATCH_SIZE = TrainingConfig.builder().build().batchSize();

    private TrainingStepBenchmark() {}

    static Table run(BenchPlan plan, TrainingData data) {
        int resolution = plan.resolution();
        int crop = resolution / 2;
        Measured crops = measure(plan, data, crop);
        Measured whole = measure(plan, data, 0);
        Table table = new Table(String.format(Locale.ROOT,
                "4. Training step cost: %d px crops vs whole %d px images (%s preset, batch %d)",
                crop, resolution, plan.preset(), BATCH_SIZE),
                "training input", "s/step", "range", "time vs whole images", "RSS change over measured steps (MiB)");
        table.row(crop + " px crops", Cells.median(crops.steps(), 1), Cells.range(crops.steps(), 1),
                Cells.ratio(crops.steps().ratioTo(whole.steps())), Cells.signedMebibytes(crops.residentGrowth()));
        table.row("whole " + resolution + " px", Cells.median(whole.steps(), 1), Cells.range(whole.steps(), 1),
                "baseline", Cells.signedMebibytes(whole.residentGrowth()));
        return table.note(String.format(Locale.ROOT, "Median of %d measured steps after %d warm-up, range min–max;"
                + " each step is forward, backward, clipping, AdamW and EMA on %d synthetic images.",
                plan.trainingSteps().measured(), plan.trainingSteps().warmup(), data.images().size()));
    }

    /** Per-step times and the resident memory growth between the first and the last measured step. */
    private record Measured(Timing steps, long residentGrowth) {}

    private static Measured measure(BenchPlan plan, TrainingData data, int cropSize) {
        int warmup = plan.trainingSteps().warmup();
        int total = warmup + plan.trainingSteps().measured();
        TrainingConfig config = TrainingConfig.forPreset(plan.preset()).steps(total).batchSize(BATCH_SIZE)
                .cropSize(cropSize).showProgress(false).build();
        StepClock clock = new StepClock(warmup, total);
        new DiffusionTrainer(config).addListener(clock).train(data, plan.preset(), plan.network()).close();
        return new Measured(new Timing(clock.measuredSeconds()), clock.residentAtEnd - clock.residentAfterWarmup);
    }

    /**
     * Step times from the gaps between the ends of consecutive steps. The warm-up steps, the first of
     * which also carries the run's setup, are not measured; resident memory is read after the last
     * warm-up step and after the last step.
     */
    private static final class StepClock implements TrainingListener {
        private final int warmup;
        private final int total;
        private final long[] endNanos;
        private long residentAfterWarmup;
        private long residentAtEnd;

        StepClock(int warmup, int total) {
            this.warmup = warmup;
            this.total = total;
            this.endNanos = new long[total + 1];
        }

        @Override
        public void onStep(TrainingProgress progress) {
            int step = (int) progress.step();
            endNanos[step] = System.nanoTime();
            if (step == warmup) {
                residentAfterWarmup = ProcessMemory.now().residentBytes();
                endNanos[step] = System.nanoTime(); // the snapshot's garbage collection is no step's cost
            } else if (step == total) {
                residentAtEnd = ProcessMemory.now().residentBytes();
            }
        }

        List<Double> measuredSeconds() {
            List<Double> seconds = new ArrayList<>();
            for (int step = warmup + 1; step <= total; step++) {
                seconds.add((endNanos[step] - endNanos[step - 1]) / 1e9);
            }
            return seconds;
        }
    }
}
