package com.gladstream.glad.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * What a benchmark ran on, recorded next to its numbers: figures from another machine, or from
 * this one under load, are not comparable.
 *
 * @param processors CPUs available to the JVM (nproc)
 * @param cpuModel the first "model name" of /proc/cpuinfo, or "unknown"
 * @param loadAverage the 1, 5 and 15 minute load averages of /proc/loadavg, or "unknown"
 * @param java Java version and VM
 */
public record Machine(int processors, String cpuModel, String loadAverage, String java) {

    public static Machine current() {
        return new Machine(
                Runtime.getRuntime().availableProcessors(),
                readCpuModel(),
                readLoadAverage(),
                System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")");
    }

    private static String readCpuModel() {
        try (var lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip())
                    .findFirst()
                    .orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String readLoadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).strip().split("\\s+");
            return String.join(" ", Arrays.copyOf(fields, 3));
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
