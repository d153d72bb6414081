package com.gladstream.glad.training;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Training progress as text: on a terminal one line redrawn with '\r' (at most 5 times a second);
 * elsewhere (logs, CI) a full line every {@code logIntervalSeconds}, plus the first and last step.
 */
public final class ProgressBar implements TrainingListener {

    private static final int BAR_WIDTH = 24;

    private final PrintWriter out;
    private final boolean terminal;
    private final long intervalNanos;
    private long lastDraw;

    public ProgressBar(PrintWriter out, boolean terminal, double logIntervalSeconds) {
        this.out = out;
        this.terminal = terminal;
        this.intervalNanos = terminal ? 200_000_000L : (long) (logIntervalSeconds * 1e9);
    }

    /** stderr, redrawn in place when it is a terminal, a line every 30 s otherwise. */
    public static ProgressBar stderr() {
        return new ProgressBar(new PrintWriter(System.err, true), System.console() != null, 30);
    }

    @Override
    public void onStep(TrainingProgress p) {
        long now = System.nanoTime();
        boolean first = lastDraw == 0;
        if (!first && now - lastDraw < intervalNanos && p.step() < p.totalSteps()) {
            return;
        }
        lastDraw = now;
        if (terminal) {
            out.print("\r" + format(p));
        } else {
            out.println(format(p));
        }
        out.flush();
    }

    @Override
    public void onFinished(TrainingProgress last) {
        if (terminal) {
            out.println();
            out.flush();
        }
    }

    static String format(TrainingProgress p) {
        int filled = (int) (BAR_WIDTH * p.step() / Math.max(1, p.totalSteps()));
        String bar = "#".repeat(filled) + "-".repeat(BAR_WIDTH - filled);
        return String.format(Locale.ROOT, "train [%s] %d/%d loss %.4f (%.4f) %.2f steps/s ETA %s",
                bar, p.step(), p.totalSteps(), p.smoothedLoss(), p.loss(), p.stepsPerSecond(), duration(p.etaSeconds()));
    }

    static String duration(double seconds) {
        if (!Double.isFinite(seconds)) {
            return "?";
        }
        long s = Math.round(seconds);
        return s >= 3600
                ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
