package com.gladstream.glad.benchmark;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Times tasks with warm-up runs first (class loading, JIT, the native engine's first-call setup
 * and allocator growth are not what a benchmark wants to measure) and several measured runs after.
 */
public final class Timer {

    private Timer() {}

    /**
     * Times tasks that are compared with each other. Each round runs every task once, in the given
     * order, so a slow drift in machine load (another process starting or finishing) affects all of
     * them alike instead of distorting their ratios.
     *
     * @return each task's timing, in the given order
     */
    public static Map<String, Timing> roundRobin(int warmup, int repetitions, Map<String, Runnable> tasks) {
        if (warmup < 0 || repetitions < 1) {
            throw new IllegalArgumentException("need warmup >= 0 and repetitions >= 1, got " + warmup + ", " + repetitions);
        }
        Map<String, List<Double>> seconds = new LinkedHashMap<>();
        tasks.keySet().forEach(name -> seconds.put(name, new ArrayList<>()));
        for (int round = 0; round < warmup + repetitions; round++) {
            for (Map.Entry<String, Runnable> task : tasks.entrySet()) {
                long start = System.nanoTime();
                task.getValue().run();
                double elapsed = (System.nanoTime() - start) / 1e9;
                if (round >= warmup) {
                    seconds.get(task.getKey()).add(elapsed);
                }
            }
        }
        Map<String, Timing> timings = new LinkedHashMap<>();
        seconds.forEach((name, values) -> timings.put(name, new Timing(values)));
        return timings;
    }
}
