package com.gladstream.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.gladstream.cli.GladCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code glad bench --quick} on the tiny preset: every section is reported, with positive figures. */
class BenchCommandTest {

    private static final List<String> SECTIONS = List.of("1. Batched detection", "2. ADS cost", "3. Feature extractors",
            "4. Training step cost", "5a. Memory after each section", "5b. Native memory over repeated detection");

    /** A figure (e.g. "0.42", "3.1×", "1,024") or a range of two ("0.40–0.45"); signed changes ("+0.3") are not. */
    private static final Pattern FIGURES = Pattern.compile("[0-9][0-9.,]*×?(–[0-9][0-9.,]*)?");

    @TempDir
    Path dir;

    @Test
    @Timeout(60)
    void quickRunReportsEverySectionWithPositiveFigures() throws IOException {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = GladCommand.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        Path markdown = dir.resolve("bench.md");

        assertThat(cl.execute("bench", "--quick", "--preset", "tiny", "--out", markdown.toString()))
                .as(err.toString()).isZero();

        String text = out.toString();
        assertThat(text).contains("command: ./glad bench --quick --preset tiny --out", "load average at start",
                "CPUs (nproc)", "java: 17");
        String md = Files.readString(markdown);
        for (String section : SECTIONS) {
            assertThat(text).contains(section);
            assertThat(md).contains("### " + section);
        }
        assertThat(md).contains("- command: `./glad bench --quick");
        List<String> rows = md.lines().filter(l -> l.startsWith("| ")).toList();
        int figures = 0;
        for (String row : rows) {
            for (String cell : row.substring(1, row.length() - 1).split("\\|")) {
                String value = cell.strip();
                if (FIGURES.matcher(value).matches()) {
                    for (String number : value.replace("×", "").replace(",", "").split("–")) {
                        assertThat(Double.parseDouble(number)).as(row).isPositive();
                        figures++;
                    }
                }
            }
        }
        assertThat(figures).isGreaterThan(50);
    }
}
