package com.gladstream.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.gladstream.cli.GladCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code glad bench engine --quick}: every section, fractions of the limit that are fractions, every lever timed. */
class EngineBenchmarkTest {

    @TempDir
    Path dir;

    @Test
    @Timeout(300)
    void quickRunMeasuresTheLimitEveryLeverTheProfileAndTheMemory() throws IOException {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = GladCommand.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        Path markdown = dir.resolve("engine.md");

        assertThat(cl.execute("bench", "engine", "--quick", "--out", markdown.toString())).as(err.toString()).isZero();

        String md = Files.readString(markdown);
        assertThat(md).contains("- command: `./glad bench engine --quick", "### E1.", "### E2.", "### E3.", "### E4.", "### E5.");
        // The limit is the better of E1's two rates; "of the limit" (E2 column 6) is a row's rate over it.
        double limit = rows(md, "### E1.").stream().mapToDouble(row -> Double.parseDouble(row[4])).max().orElseThrow();
        List<String[]> forward = rows(md, "### E2.");
        assertThat(forward).hasSize(12); // six kernel sets at two batch sizes
        for (String[] row : forward) {
            double gflops = Double.parseDouble(row[4]);
            assertThat(Double.parseDouble(row[5])).as(String.join("|", row)).isPositive()
                    .isCloseTo(gflops / limit, org.assertj.core.data.Percentage.withPercentage(2));
        }
        assertThat(forward).extracting(row -> row[0]).contains("reference", "fast (all four)");
        List<String[]> profile = rows(md, "### E4.");
        assertThat(profile).extracting(row -> row[2]).contains("convolution");
        List<String[]> memory = rows(md, "### E5.");
        assertThat(memory).hasSize(6);
        assertThat(memory.get(0)[0]).isEqualTo("fast (all four)");
        assertThat(memory.get(memory.size() - 1)[0]).isEqualTo("reference");
        for (String[] row : memory) {
            assertThat(Double.parseDouble(row[3])).as(String.join("|", row))
                    .isEqualTo(Double.parseDouble(row[2]) - Double.parseDouble(row[1]), org.assertj.core.data.Offset.offset(1.0))
                    .isGreaterThanOrEqualTo(0);
        }
    }

    /** The body rows of the Markdown table under {@code heading}, cells stripped. */
    private static List<String[]> rows(String md, String heading) {
        String section = md.substring(md.indexOf(heading));
        return section.lines().skip(1).dropWhile(l -> !l.startsWith("|")).takeWhile(l -> l.startsWith("|")).skip(2)
                .map(l -> Arrays.stream(l.substring(1, l.length() - 1).split("\\|")).map(String::strip).toArray(String[]::new))
                .toList();
    }
}
