package com.gladstream.cli.bench;

import com.gladstream.glad.benchmark.ProcessMemory;
import com.gladstream.glad.features.FeatureExtractor;
import com.gladstream.glad.image.FloatImage;
import com.gladstream.glad.pipeline.AnomalyDetector;
import com.gladstream.glad.pipeline.DenoisingModel;
import com.gladstream.glad.pipeline.DetectorSettings;
import com.gladstream.glad.pipeline.ReconstructionMode;
import com.gladstream.glad.scoring.AnomalyScorer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.LongStream;

/**
 * Section 5: the process's memory after each section, and whether native memory stays flat over
 * repeated detection calls. Native arrays that outlive their call (an NDArray attached to a
 * long-lived manager) show up as resident memory growing from call to call.
 */
final class MemorySection {

    private static final long ALLOCATOR_NOISE = 1024 * 1024;

    private final List<String> labels = new ArrayList<>();
    private final List<ProcessMemory> snapshots = new ArrayList<>();

    /** Records the memory now, labelled with what has just run. */
    void snapshot(String after) {
        labels.add(after);
        snapshots.add(ProcessMemory.now());
    }

    Table snapshotTable() {
        Table table = new Table("5a. Memory after each section", "after", "RSS (MiB)", "peak RSS (MiB)",
                "JVM heap used (MiB)", "JVM heap committed (MiB)");
        for (int i = 0; i < labels.size(); i++) {
            ProcessMemory m = snapshots.get(i);
            table.row(labels.get(i), Cells.mebibytes(m.residentBytes()), Cells.mebibytes(m.peakResidentBytes()),
                    Cells.mebibytes(m.heapUsedBytes()), Cells.mebibytes(m.heapCommittedBytes()));
        }
        return table.note("RSS (VmRSS) includes the PyTorch engine's native memory; peak RSS (VmHWM) is the highest"
                + " RSS of the process so far. Heap used is read after a garbage collection request.");
    }

    /**
     * Runs GLAD detection of the plan's images {@code plan.leakCheckCalls()} times and compares
     * resident memory after the first third of the calls with after all of them. GLAD mode covers
     * the most code: reconstruction, ADS comparisons and the final map.
     */
    static Table leakCheck(BenchPlan plan, DenoisingModel model, FeatureExtractor features, List<FloatImage> images) {
        AnomalyDetector detector = AnomalyDetector.create(model, features, new DetectorSettings(ReconstructionMode.GLAD,
                plan.maxStep(), plan.leakCheckInferenceSteps(), DetectionBenchmark.NEVER_TRIGGERS,
                AnomalyScorer.Settings.DEFAULTS, images.size(), Double.NaN));
        List<Long> seeds = LongStream.range(0, images.size()).boxed().toList();
        int first = plan.leakCheckFirstReading();
        int last = plan.leakCheckCalls();
        ProcessMemory atFirst = null;
        ProcessMemory atLast = null;
        for (int call = 1; call <= last; call++) {
            detector.detect(images, seeds);
            if (call == first) {
                atFirst = ProcessMemory.now();
            } else if (call == last) {
                atLast = ProcessMemory.now();
            }
        }
        long growth = atLast.residentBytes() - atFirst.residentBytes();
        long perCall = growth / (last - first);
        // The smallest leak worth catching: one input batch (N×3×R×R floats) left behind per call.
        // Below ALLOCATOR_NOISE in all, RSS moves with the allocator's bookkeeping, not with leaks.
        long batchBytes = (long) images.size() * 3 * plan.resolution() * plan.resolution() * Float.BYTES;
        boolean flat = growth < ALLOCATOR_NOISE || perCall < batchBytes / 2;
        Table table = new Table(String.format(Locale.ROOT,
                "5b. Native memory over repeated detection: RSS after %d vs %d calls (GLAD, %d images per call, S=%d)",
                first, last, images.size(), plan.leakCheckInferenceSteps()),
                "after calls", "RSS (MiB)", "JVM heap committed (MiB)");
        table.row(Integer.toString(first), Cells.mebibytes(atFirst.residentBytes()),
                Cells.mebibytes(atFirst.heapCommittedBytes()));
        table.row(Integer.toString(last), Cells.mebibytes(atLast.residentBytes()),
                Cells.mebibytes(atLast.heapCommittedBytes()));
        return table.note(String.format(Locale.ROOT, "RSS change %s MiB, %s KiB per call: %s (flat means under half"
                + " an input batch, %s KiB, per call, or under 1 MiB in all).", Cells.signedMebibytes(growth),
                Cells.number(perCall / 1024.0), flat ? "flat" : "GROWING", Cells.number(batchBytes / 2 / 1024.0)));
    }
}
