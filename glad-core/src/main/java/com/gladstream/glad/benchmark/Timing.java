package com.gladstream.glad.benchmark;

import java.util.Arrays;
import java.util.List;

/**
 * The wall times of the measured repetitions of one task, in seconds. Benchmarks report the median
 * (robust to the odd repetition disturbed by another process) with the min–max range as spread,
 * and compare tasks by the ratio of their medians.
 */
public record Timing(List<Double> seconds) {

    public Timing {
        seconds = List.copyOf(seconds);
        if (seconds.isEmpty() || seconds.stream().anyMatch(s -> !(s >= 0))) {
            throw new IllegalArgumentException("need at least one non-negative time, got " + seconds);
        }
    }

    public double median() {
        double[] sorted = sorted();
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    public double min() {
        return sorted()[0];
    }

    public double max() {
        double[] sorted = sorted();
        return sorted[sorted.length - 1];
    }

    /** The same repetitions divided into {@code units} equal parts, e.g. seconds per image of a batch. */
    public Timing perUnit(int units) {
        if (units < 1) {
            throw new IllegalArgumentException("units must be positive, got " + units);
        }
        return new Timing(seconds.stream().map(s -> s / units).toList());
    }

    /** This median over {@code baseline}'s: above 1 this task is slower. */
    public double ratioTo(Timing baseline) {
        return median() / baseline.median();
    }

    private double[] sorted() {
        double[] sorted = seconds.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        return sorted;
    }
}
