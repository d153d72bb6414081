package com.gladstream.cli.bench;

import com.gladstream.glad.benchmark.Timing;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/** Table cell formats: three significant figures, one unit per column. */
final class Cells {

    private static final double MIB = 1024.0 * 1024.0;

    private Cells() {}

    static String number(double value) {
        double magnitude = Math.abs(value);
        if (magnitude > 0 && magnitude < 0.001 && Double.isFinite(value)) {
            // Three significant figures here too: "0.000" would read as zero, not as a very small ratio.
            return new BigDecimal(value).round(new MathContext(3)).toPlainString();
        }
        String format = magnitude >= 100 ? "%.0f" : magnitude >= 10 ? "%.1f" : magnitude >= 1 ? "%.2f" : "%.3f";
        return String.format(Locale.ROOT, format, value);
    }

    /** The median scaled by {@code unit} (e.g. 1000 for ms). */
    static String median(Timing timing, double unit) {
        return number(timing.median() * unit);
    }

    /** min–max scaled by {@code unit}. */
    static String range(Timing timing, double unit) {
        return number(timing.min() * unit) + "–" + number(timing.max() * unit);
    }

    /** Units per second at the median time, when each repetition does {@code units} (e.g. images). */
    static String rate(Timing timing, int units) {
        return number(units / timing.median());
    }

    /** The slowest and the fastest repetition's rate. */
    static String rateRange(Timing timing, int units) {
        return number(units / timing.max()) + "–" + number(units / timing.min());
    }

    static String ratio(double ratio) {
        return number(ratio) + "×";
    }

    static String mebibytes(long bytes) {
        return bytes < 0 ? "n/a" : String.format(Locale.ROOT, "%.0f", bytes / MIB);
    }

    static String signedMebibytes(long bytes) {
        return String.format(Locale.ROOT, "%+.1f", bytes / MIB);
    }
}
