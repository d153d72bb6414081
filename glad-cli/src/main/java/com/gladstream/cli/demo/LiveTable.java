package com.gladstream.cli.demo;

import com.gladstream.schemas.AnomalyResult;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The demo's live output: one line per verdict as it arrives. */
final class LiveTable {

    private static final String FORMAT = "%-22s %-9s %-8s %8s %-9s %5s %8s%n";

    private final PrintWriter out;
    private final Map<String, CameraSimulator.Frame> planned;
    private final Map<String, Long> sentAt = new ConcurrentHashMap<>();

    LiveTable(PrintWriter out, Map<String, CameraSimulator.Frame> planned) {
        this.out = out;
        this.planned = planned;
    }

    void header() {
        print("image", "camera", "truth", "score", "decision", "step", "latency");
    }

    void sent(CameraSimulator.Frame frame) {
        sentAt.put(frame.event().getEventId(), frame.sentAtNanos());
    }

    void row(ResultCollector.Arrival arrival) {
        CameraSimulator.Frame frame = planned.get(arrival.eventId());
        if (frame == null) {
            return;
        }
        String image = frame.sample() == null ? frame.event().getEventId()
                : frame.sample().path().getParent().getFileName() + "/" + frame.sample().path().getFileName();
        String truth = frame.sample() == null ? "corrupt" : frame.sample().anomalous() ? "defect" : "good";
        Long sent = sentAt.get(arrival.eventId());
        String latency = sent == null ? "" : (arrival.arrivedAtNanos() - sent) / 1_000_000 + " ms";
        if (arrival.deadLetter() != null) {
            print(image, frame.event().getCameraId(), truth, "", "REJECTED", "", latency + "  "
                    + arrival.deadLetter().getReason());
            return;
        }
        AnomalyResult r = arrival.result();
        print(image, r.getCameraId(), truth, String.format(Locale.ROOT, "%.4f", r.getScore()), r.getDecision().name(),
                r.getAdaptiveStep() == null ? "-" : r.getAdaptiveStep().toString(), latency);
    }

    private synchronized void print(Object... cells) {
        out.printf(Locale.ROOT, FORMAT, cells);
        out.flush();
    }
}
