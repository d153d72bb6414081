package com.gladstream.glad.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StagedFolderTest {

    @TempDir
    Path dir;

    @Test
    void appearsOnlyWhenComplete() throws IOException {
        Path target = dir.resolve("out/run");
        StagedFolder.write(target, folder -> Files.writeString(folder.resolve("a.txt"), "done"));
        assertThat(Files.readString(target.resolve("a.txt"))).isEqualTo("done");
        assertThat(list(dir.resolve("out"))).containsExactly(target);
    }

    @Test
    void aFailedWriteLeavesNothingBehind() throws IOException {
        Path target = dir.resolve("run");
        assertThatThrownBy(() -> StagedFolder.write(target, folder -> {
            Files.writeString(folder.resolve("half.txt"), "half");
            throw new IOException("disk full");
        })).isInstanceOf(DataException.class).hasMessage("cannot write " + target + ": disk full");
        assertThat(list(dir)).isEmpty();
    }

    private static Stream<Path> list(Path folder) throws IOException {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.toList().stream();
        }
    }
}
