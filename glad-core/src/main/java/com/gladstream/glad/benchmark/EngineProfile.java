package com.gladstream.glad.benchmark;

import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where the engine's time goes: PyTorch's profiler around a piece of work, summarised as self time
 * per operator (an operator's time minus that of the operators it called, so nothing counts twice)
 * and per kind of operator.
 */
public final class EngineProfile {

    /** One operator's calls: self time in milliseconds summed over its calls. */
    public record OpTime(String name, String kind, double selfMillis, int calls) {}

    private EngineProfile() {}

    /**
     * Runs {@code work} under the profiler, on the calling thread.
     *
     * @return operators by self time, largest first
     */
    public static List<OpTime> record(Runnable work) {
        try {
            Path trace = Files.createTempFile("glad-profile-", ".json");
            try {
                JniUtils.startProfile(false, false, false);
                try {
                    work.run();
                } finally {
                    JniUtils.stopProfile(trace.toString());
                }
                return selfTimes(trace);
            } finally {
                Files.deleteIfExists(trace);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write or read the profiler's trace", e);
        }
    }

    /**
     * Self times from a Chrome trace: complete events ("ph": "X") nest by time within a thread, and
     * each event's children are subtracted from it.
     */
    public static List<OpTime> selfTimes(Path chromeTrace) throws IOException {
        JsonNode root = new ObjectMapper().readTree(chromeTrace.toFile());
        JsonNode events = root.isArray() ? root : root.path("traceEvents");
        Map<String, List<Event>> byThread = new LinkedHashMap<>();
        for (JsonNode e : events) {
            if ("X".equals(e.path("ph").asText()) && e.has("dur")) {
                byThread.computeIfAbsent(e.path("tid").asText(), t -> new ArrayList<>())
                        .add(new Event(e.path("name").asText(), e.path("ts").asDouble(), e.path("dur").asDouble()));
            }
        }
        Map<String, double[]> totals = new LinkedHashMap<>(); // name → {self µs, calls}
        for (List<Event> thread : byThread.values()) {
            thread.sort(Comparator.comparingDouble(Event::start).thenComparing(Comparator.comparingDouble(Event::duration).reversed()));
            Deque<Event> open = new ArrayDeque<>();
            for (Event e : thread) {
                while (!open.isEmpty() && open.peek().end() <= e.start()) {
                    open.pop();
                }
                if (!open.isEmpty()) {
                    open.peek().children += e.duration;
                }
                open.push(e);
            }
            for (Event e : thread) {
                double[] total = totals.computeIfAbsent(e.name, n -> new double[2]);
                total[0] += e.duration - e.children;
                total[1]++;
            }
        }
        List<OpTime> ops = new ArrayList<>();
        totals.forEach((name, t) -> ops.add(new OpTime(name, kindOf(name), t[0] / 1000, (int) t[1])));
        ops.sort(Comparator.comparingDouble(OpTime::selfMillis).reversed());
        return ops;
    }

    /** Self milliseconds per kind of operator, largest first. */
    public static Map<String, Double> byKind(List<OpTime> ops) {
        Map<String, Double> kinds = new LinkedHashMap<>();
        ops.forEach(op -> kinds.merge(op.kind(), op.selfMillis(), Double::sum));
        Map<String, Double> sorted = new LinkedHashMap<>();
        kinds.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEachOrdered(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    /** The kind of an ATen operator, by name. */
    static String kindOf(String name) {
        String op = name.toLowerCase(Locale.ROOT).replace("aten::", "");
        if (op.contains("conv")) {
            return "convolution";
        }
        if (op.equals("bmm") || op.equals("mm") || op.equals("addmm") || op.equals("matmul") || op.equals("linear")) {
            return "matrix product";
        }
        if (op.contains("softmax")) {
            return "softmax";
        }
        if (op.contains("norm")) {
            return "normalisation";
        }
        if (op.equals("cat") || op.startsWith("copy") || op.equals("clone") || op.equals("contiguous")
                || op.equals("repeat") || op.equals("stack") || op.startsWith("index") || op.equals("_to_copy")) {
            return "copy and concatenation";
        }
        if (op.matches("(add|sub|mul|div|pow|sqrt|rsqrt|sigmoid|exp|sin|cos|square|neg|mean|sum)_?")) {
            return "element-wise and reductions";
        }
        return "other (views, allocation, bookkeeping)";
    }

    private static final class Event {
        final String name;
        final double start;
        final double duration;
        double children;

        Event(String name, double start, double duration) {
            this.name = name;
            this.start = start;
            this.duration = duration;
        }

        double start() {
            return start;
        }

        double duration() {
            return duration;
        }

        double end() {
            return start + duration;
        }
    }
}
