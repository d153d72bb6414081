package com.gladstream.cli.data;

import static org.assertj.core.api.Assertions.assertThat;

import com.gladstream.cli.InProcessGlad;
import com.gladstream.glad.data.MvtecCategory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code glad generate} and {@code glad synth}, run in-process. */
class DataCommandsTest {

    @TempDir
    Path dir;

    private final InProcessGlad glad = new InProcessGlad();

    @Test
    void generateThenSynthWriteWhatTheySay() throws IOException {
        int generated = glad.run("generate", "--out", dir.toString(), "--kind", "object", "--category", "nut",
                "--size", "64", "--train", "4", "--test-good", "1", "--test-defect", "1");
        assertThat(generated).as(glad.err()).isZero();
        assertThat(glad.out()).contains("wrote category nut (object, 64 px, seed 1)");
        assertThat(MvtecCategory.open(dir.resolve("nut")).testSamples()).hasSize(6);

        int synthesised = glad.run("synth", "--data", dir.resolve("nut").toString(), "--out", dir.resolve("examples").toString(),
                "--count", "3", "--size", "64", "--foreground");
        assertThat(synthesised).as(glad.err()).isZero();
        try (Stream<Path> files = Files.list(dir.resolve("examples"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("contact_sheet.png",
                    "image_00.png", "image_01.png", "image_02.png", "mask_00.png", "mask_01.png", "mask_02.png");
        }
    }

    @Test
    void aCorruptImageFailsWithOneLineAndWritesNothing() throws IOException {
        Path data = Files.createDirectories(dir.resolve("images"));
        Path corrupt = Files.write(data.resolve("broken.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});

        int exit = glad.run("synth", "--data", data.toString(), "--out", dir.resolve("examples").toString(), "--size", "64");

        assertThat(exit).isNotZero();
        assertThat(glad.err().strip()).startsWith("glad synth: error: ").contains(corrupt.toString()).doesNotContain("\n");
        try (Stream<Path> entries = Files.list(dir)) {
            assertThat(entries).containsExactly(data);
        }
    }

    @Test
    void badOptionsAreNamed() {
        assertThat(glad.run("generate", "--out", dir.toString(), "--kind", "metal")).isNotZero();
        assertThat(glad.err()).contains("--kind must be texture or object, got metal");
    }
}
