package com.gladstream.glad.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

    @Test
    void aTerminalGetsOneLineRedrawnInPlace() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new PrintWriter(bytes, true, StandardCharsets.UTF_8), true, 30);
        TrainingProgress last = new TrainingProgress(100, 100, 0.2, 0.25, 4.0, 0, 1e-4);
        bar.onStep(new TrainingProgress(1, 100, 1.0, 1.0, 2.0, 49.5, 1e-6));
        bar.onStep(last);
        bar.onFinished(last);
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).startsWith("\rtrain [").contains("1/100 loss 1.0000").contains("ETA 0:50")
                .contains("\rtrain [########################] 100/100 loss 0.2500 (0.2000) 4.00 steps/s ETA 0:00")
                .endsWith(System.lineSeparator());
        assertThat(out.chars().filter(c -> c == '\n').count()).as("newlines").isEqualTo(1);
    }

    @Test
    void aLogGetsTheFirstAndLastStepAndLinesAtTheInterval() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new PrintWriter(bytes, true, StandardCharsets.UTF_8), false, 3600);
        for (int step = 1; step <= 50; step++) {
            bar.onStep(new TrainingProgress(step, 50, 0.5, 0.5, 10, (50 - step) / 10.0, 1e-4));
        }
        assertThat(bytes.toString(StandardCharsets.UTF_8).lines())
                .hasSize(2)
                .allMatch(line -> !line.contains("\r"))
                .anyMatch(line -> line.contains(" 1/50 "))
                .anyMatch(line -> line.contains(" 50/50 "));
        assertThat(ProgressBar.duration(3725)).isEqualTo("1:02:05");
        assertThat(ProgressBar.duration(Double.POSITIVE_INFINITY)).isEqualTo("?");
    }
}
