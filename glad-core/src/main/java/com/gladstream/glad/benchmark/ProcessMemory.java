package com.gladstream.glad.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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
     * Sets the peak (VmHWM) back to the current resident size, so the next reading's peak belongs to
     * the work done after this call (Linux: /proc/self/clear_refs).
     *
     * @return false where the kernel does not allow it; peaks then count from the process start
     */
    public static boolean resetPeak() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
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
