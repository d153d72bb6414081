package com.gladstream.glad.data.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.gladstream.glad.data.DataException;
import com.gladstream.glad.data.ImageLoader;
import com.gladstream.glad.data.MvtecCategory;
import com.gladstream.glad.data.Sample;
import com.gladstream.glad.data.synthetic.SyntheticCategoryOptions.Kind;
import com.gladstream.glad.image.ImageSize;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SyntheticCategoryGeneratorTest {

    @TempDir
    Path dir;

    private static SyntheticCategoryOptions small(Kind kind, long seed) {
        return new SyntheticCategoryOptions("widget", kind, 5, 2, 2, 64, seed);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void writesALayoutThatOpensWithEveryDefectMasked(Kind kind) {
        MvtecCategory c = SyntheticCategoryGenerator.write(dir.resolve("widget"), small(kind, 1));

        assertThat(c.name()).isEqualTo("widget");
        assertThat(c.trainSamples().size() + c.heldOutSamples().size()).isEqualTo(5);
        assertThat(c.defectTypes()).containsExactlyInAnyOrderElementsOf(SyntheticCategoryGenerator.defectTypes());
        assertThat(c.testSamples()).hasSize(2 + 2 * SyntheticCategoryGenerator.defectTypes().size());
        for (Sample s : c.testSamples()) {
            float[] mask = ImageLoader.loadMask(s, ImageSize.square(64));
            if (s.anomalous()) {
                assertThat(mask).as(s.path().toString()).contains(1f);
            } else {
                assertThat(mask).containsOnly(0f);
            }
            assertThat(ImageLoader.load(s.path(), 3, 64).height()).isEqualTo(64);
        }
    }

    @Test
    void sameSeedWritesIdenticalFilesAndAnotherSeedDifferentOnes() throws IOException {
        SyntheticCategoryGenerator.write(dir.resolve("a/widget"), small(Kind.OBJECT, 7));
        SyntheticCategoryGenerator.write(dir.resolve("b/widget"), small(Kind.OBJECT, 7));
        SyntheticCategoryGenerator.write(dir.resolve("c/widget"), small(Kind.OBJECT, 8));

        List<Path> files = relativeFiles(dir.resolve("a/widget"));
        assertThat(relativeFiles(dir.resolve("b/widget"))).isEqualTo(files);
        for (Path f : files) {
            assertThat(Files.readAllBytes(dir.resolve("b/widget").resolve(f)))
                    .as(f.toString()).isEqualTo(Files.readAllBytes(dir.resolve("a/widget").resolve(f)));
        }
        Path first = Path.of("train/good/000.png");
        assertThat(Files.readAllBytes(dir.resolve("c/widget").resolve(first)))
                .isNotEqualTo(Files.readAllBytes(dir.resolve("a/widget").resolve(first)));
    }

    @Test
    void normalImagesVaryWithinACategory() {
        MvtecCategory c = SyntheticCategoryGenerator.write(dir.resolve("wood"), small(Kind.TEXTURE, 3));
        float[] a = ImageLoader.load(c.trainSamples().get(0).path(), 3, 64).data();
        float[] b = ImageLoader.load(c.trainSamples().get(1).path(), 3, 64).data();
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void refusesToOverwriteAndLeavesNothingBehind() throws IOException {
        Path existing = Files.createDirectories(dir.resolve("taken"));
        assertThatThrownBy(() -> SyntheticCategoryGenerator.write(existing, small(Kind.TEXTURE, 1)))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("already exists");
        try (Stream<Path> entries = Files.list(dir)) {
            assertThat(entries).containsExactly(existing);
        }
    }

    private static List<Path> relativeFiles(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).map(root::relativize).sorted().toList();
        }
    }
}
