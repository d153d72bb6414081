package com.gladstream.glad.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * This process's memory at one moment. Resident set size counts everything the process holds in
 * RAM, including the PyTorch engine's native arrays, which the JVM heap figures do not show.
 *
 * @param residentBytes VmRSS; -1 where /proc/self/status is unavailable (not Linux)
 * @param peakResidentBytes VmHWM, the highest VmRSS since the process started; -1 likewise
 * @param heapUsedBytes JVM heap in use, measured after a garbage collection request
 * @param heapCommittedBytes JVM heap reserved from the operating system
 */
public record ProcessMemory(long residentBytes, long peakResidentBytes, long heapUsedBytes, long heapCommittedBytes) {

    private static final Path STATUS = Path.of("/proc/self/status");

    /** A snapshot; requests a garbage collection first so heap use is not mostly uncollected garbage. */
    public static ProcessMemory now() {
        Runtime runtime = Runtime.getRuntime();
        System.gc();
        List<String> status = readStatus();
        return new ProcessMemory(bytes(status, "VmRSS:"), bytes(status, "VmHWM:"),
                runtime.totalMemory() - runtime.freeMemory(), runtime.totalMemory());
    }

    /**
     * The resident memory before {@code work} and its peak while {@code work} runs. Where the kernel
     * lets the process reset its peak (Linux /proc/self/clear_refs) the peak is VmHWM, exact;
     * elsewhere (some containers refuse the write) it is the highest VmRSS sampled every millisecond,
     * which can miss a spike shorter than that.
     */
    public static PeakDuring peakDuring(Runnable work) {
        return peakDuring(work, true);
    }

    /** As {@link #peakDuring(Runnable)}; {@code mayReset} false takes the sampled path (a test checks both). */
    static PeakDuring peakDuring(Runnable work, boolean mayReset) {
        now(); // a garbage collection first, so the heap's garbage is not counted
        if (mayReset && resetPeak()) {
            // The peak was just set to the resident size; reading it back gives the baseline.
            long before = readStatusBytes("VmHWM:");
            work.run();
            return new PeakDuring(before, readStatusBytes("VmHWM:"), true);
        }
        long before = readStatusBytes("VmRSS:");
        AtomicLong peak = new AtomicLong(before);
        AtomicBoolean done = new AtomicBoolean();
        Thread sampler = new Thread(() -> {
            while (!done.get()) {
                peak.accumulateAndGet(readStatusBytes("VmRSS:"), Math::max);
                LockSupport.parkNanos(1_000_000);
            }
        }, "resident-peak-sampler");
        sampler.setDaemon(true);
        sampler.start();
        try {
            work.run();
        } finally {
            done.set(true);
            try {
                sampler.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return new PeakDuring(before, Math.max(peak.get(), readStatusBytes("VmRSS:")), false);
    }

    /**
     * @param beforeBytes resident size just before the work
     * @param peakBytes highest resident size while it ran
     * @param exact true for the kernel's own peak, false for a sampled one
     */
    public record PeakDuring(long beforeBytes, long peakBytes, boolean exact) {

        /**
         * The kernel batches resident-page counts per thread, so two readings can disagree by a few
         * pages: a peak is never below the size it started from.
         */
        public PeakDuring {
            peakBytes = Math.max(peakBytes, beforeBytes);
        }

        public long riseBytes() {
            return peakBytes - beforeBytes;
        }
    }

    private static boolean resetPeak() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static long readStatusBytes(String key) {
        return bytes(readStatus(), key);
    }

    private static List<String> readStatus() {
        try {
            return Files.readAllLines(STATUS);
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The value of a "Key:   1234 kB" line in bytes, or -1 when absent. */
    private static long bytes(List<String> status, String key) {
        for (String line : status) {
            if (line.startsWith(key)) {
                return 1024 * Long.parseLong(line.substring(key.length()).replace("kB", "").strip());
            }
        }
        return -1;
    }
}
