package com.gladstream.cli.bench;

import com.gladstream.glad.benchmark.Machine;
import com.gladstream.glad.model.Directories;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;

/**
 * A benchmark run's record: where, when and how the numbers were taken (what a reader needs to
 * compare them with another run), then the tables, printed as they come and written at the end as
 * one Markdown section for docs/BENCHMARKS.md.
 */
final class BenchReport {

    private final String title;
    private final ZonedDateTime started = ZonedDateTime.now(ZoneOffset.UTC);
    private final Map<String, String> header = new LinkedHashMap<>();
    private final List<Table> tables = new ArrayList<>();

    /** {@code machine} should be read before any work, so its load average is other processes'. */
    BenchReport(String title, CommandSpec spec, Machine machine) {
        this.title = title;
        header.put("command", "./glad " + String.join(" ", spec.commandLine().getParseResult().originalArgs()));
        header.put("date", started.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)));
        header.put("machine", machine.processors() + " CPUs (nproc), " + machine.cpuModel());
        header.put("load average at start (1/5/15 min)", machine.loadAverage());
        header.put("java", machine.java());
    }

    void header(String name, String value) {
        header.put(name, value);
    }

    void printHeader(PrintWriter stdout) {
        header.forEach((name, value) -> stdout.println(name + ": " + value));
        stdout.flush();
    }

    /** Prints {@code table} now and keeps it for the Markdown section. */
    void add(PrintWriter stdout, Table table) {
        tables.add(table);
        stdout.println();
        stdout.print(table.toText());
        stdout.flush();
    }

    /** Records the duration and the load at the end, and writes the section to {@code out} when given. */
    void finish(PrintWriter stdout, Path out) throws IOException {
        header.put("duration", String.format(Locale.ROOT, "%.1f min",
                Duration.between(started, ZonedDateTime.now(ZoneOffset.UTC)).toMillis() / 60_000.0));
        header.put("load average at end (1/5/15 min)", Machine.current().loadAverage());
        stdout.println();
        stdout.println("duration: " + header.get("duration") + "; load average at end: " + header.get("load average at end (1/5/15 min)"));
        if (out != null) {
            StringBuilder md = new StringBuilder("## ").append(title).append(", run of ").append(header.get("date")).append("\n\n");
            header.forEach((name, value) -> md.append("- ").append(name).append(": ")
                    .append(name.equals("command") ? "`" + value + "`" : value).append('\n'));
            tables.forEach(table -> md.append('\n').append(table.toMarkdown()));
            Directories.writeAtomically(out, file -> Files.writeString(file, md));
            stdout.println("wrote " + out);
        }
        stdout.flush();
    }
}
