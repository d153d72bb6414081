package com.gladstream.cli.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** One result table of the benchmark, rendered as aligned text for the terminal and as Markdown for the docs. */
final class Table {

    private final String title;
    private final List<String> columns;
    private final List<List<String>> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    Table(String title, String... columns) {
        this.title = title;
        this.columns = List.of(columns);
    }

    Table row(String... cells) {
        if (cells.length != columns.size()) {
            throw new IllegalArgumentException(cells.length + " cells for " + columns.size() + " columns");
        }
        rows.add(List.of(cells));
        return this;
    }

    /** A sentence printed under the table: what was measured and how to read it. */
    Table note(String note) {
        notes.add(note);
        return this;
    }

    String toText() {
        int[] widths = new int[columns.size()];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = columns.get(c).length();
            for (List<String> row : rows) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        StringBuilder out = new StringBuilder(title).append('\n');
        appendAligned(out, columns, widths);
        int ruleLength = Arrays.stream(widths).sum() + 2 * (widths.length - 1);
        out.append("-".repeat(ruleLength)).append('\n');
        rows.forEach(row -> appendAligned(out, row, widths));
        notes.forEach(note -> out.append("  ").append(note).append('\n'));
        return out.toString();
    }

    String toMarkdown() {
        StringBuilder out = new StringBuilder("### ").append(title).append("\n\n");
        out.append("| ").append(String.join(" | ", columns)).append(" |\n");
        out.append("|").append("---|".repeat(columns.size())).append('\n');
        rows.forEach(row -> out.append("| ").append(String.join(" | ", row)).append(" |\n"));
        notes.forEach(note -> out.append('\n').append(note).append('\n'));
        return out.toString();
    }

    /** First column left-aligned (a label), the others right-aligned (numbers). */
    private static void appendAligned(StringBuilder out, List<String> cells, int[] widths) {
        for (int c = 0; c < cells.size(); c++) {
            String format = c == 0 ? "%-" + widths[c] + "s" : "  %" + widths[c] + "s";
            out.append(String.format(Locale.ROOT, format, cells.get(c)));
        }
        out.append('\n');
    }
}
