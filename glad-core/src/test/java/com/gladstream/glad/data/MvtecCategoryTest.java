package com.gladstream.glad.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MvtecCategoryTest {

    @TempDir
    Path dir;

    @Test
    void opensTheLayoutWithTrainHeldOutAndTestSamples() throws IOException {
        Path root = category("bottle", 20);

        MvtecCategory c = MvtecCategory.open(root);

        assertThat(c.name()).isEqualTo("bottle");
        assertThat(c.trainSamples()).hasSize(17);
        assertThat(c.heldOutSamples()).hasSize(MvtecCategory.MIN_HELD_OUT);
        assertThat(c.testSamples()).extracting(Sample::defectType)
                .containsExactly("good", "good", "crack", "scratch", "scratch");
        Sample crack = c.testSamples().get(2);
        assertThat(crack.anomalous()).isTrue();
        assertThat(crack.maskPath()).isEqualTo(root.resolve("ground_truth/crack/000_mask.png"));
        assertThat(c.defectTypes()).containsExactly("crack", "scratch");
    }

    @Test
    void heldOutSplitIsFixedDisjointAndIndependentOfLocation() throws IOException {
        Path root = category("tile", 40);
        MvtecCategory first = MvtecCategory.open(root);
        MvtecCategory again = MvtecCategory.open(root);
        Path moved = Files.move(root, dir.resolve("elsewhere"));
        MvtecCategory relocated = MvtecCategory.open(moved);

        List<String> heldOut = names(first.heldOutSamples());
        assertThat(heldOut).hasSize(6); // 15% of 40
        assertThat(names(again.heldOutSamples())).isEqualTo(heldOut);
        assertThat(names(relocated.heldOutSamples())).isEqualTo(heldOut);
        assertThat(names(first.trainSamples())).doesNotContainAnyElementsOf(heldOut).hasSize(34);
        // Not simply the first files by name: the split is by name hash.
        assertThat(heldOut).isNotEqualTo(List.of("000.png", "001.png", "002.png", "003.png", "004.png", "005.png"));
        assertThat(first.testSamples()).noneMatch(s -> s.path().getParent().endsWith("train/good"));
    }

    @Test
    void calibrationUsesEveryHeldOutImageOfASmallSetAndAFixedSubsetOfALargeOne() throws IOException {
        MvtecCategory small = MvtecCategory.open(category("screw", 40));
        assertThat(small.calibrationSamples()).isEqualTo(small.heldOutSamples());

        Path root = category("carpet", 200);
        MvtecCategory large = MvtecCategory.open(root);
        List<String> calibration = names(large.calibrationSamples());
        assertThat(large.heldOutSamples()).hasSize(30); // 15% of 200
        assertThat(calibration).hasSize(MvtecCategory.MAX_CALIBRATION_IMAGES).doesNotHaveDuplicates()
                .isSubsetOf(names(large.heldOutSamples()));
        assertThat(names(MvtecCategory.open(Files.move(root, dir.resolve("moved"))).calibrationSamples()))
                .isEqualTo(calibration);
    }

    @Test
    void dataHashDependsOnTrainingBytesNotOnLocation() throws IOException {
        Path root = category("grid", 5);
        String hash = MvtecCategory.open(root).dataHash();
        Path moved = Files.move(root, dir.resolve("grid-copy"));
        assertThat(MvtecCategory.open(moved).dataHash()).isEqualTo(hash).hasSize(64);

        writeImage(moved.resolve("train/good/003.png"), 0x00ff00);
        assertThat(MvtecCategory.open(moved).dataHash()).isNotEqualTo(hash);
    }

    @Test
    void missingCategoryFolderIsNamed() {
        Path missing = dir.resolve("absent");
        assertThatThrownBy(() -> MvtecCategory.open(missing))
                .isInstanceOf(DataException.class)
                .hasMessage("category folder not found: " + missing);
    }

    @Test
    void missingTrainFolderIsNamed() throws IOException {
        Path root = category("wood", 4);
        deleteTree(root.resolve("train"));
        assertThatThrownBy(() -> MvtecCategory.open(root))
                .isInstanceOf(DataException.class)
                .hasMessage("missing folder " + root.resolve("train/good"));
    }

    @Test
    void opensACategoryWithOnlyTrainGood() throws IOException {
        Path root = category("fresh", 10);
        deleteTree(root.resolve("test"));
        deleteTree(root.resolve("ground_truth"));

        MvtecCategory c = MvtecCategory.open(root);

        assertThat(c.trainSamples()).hasSize(7);
        assertThat(c.heldOutSamples()).hasSize(MvtecCategory.MIN_HELD_OUT);
        assertThat(c.testSamples()).isEmpty();
        assertThat(c.defectTypes()).isEmpty();
    }

    @Test
    void emptyCategoryIsRefused() throws IOException {
        Path root = category("empty", 0);
        Files.writeString(root.resolve("train/good/notes.txt"), "not an image");
        assertThatThrownBy(() -> MvtecCategory.open(root))
                .isInstanceOf(DataException.class)
                .hasMessage("no training images in " + root.resolve("train/good"));
    }

    @Test
    void missingMaskIsNamed() throws IOException {
        Path root = category("cable", 4);
        Files.delete(root.resolve("ground_truth/scratch/001_mask.png"));
        assertThatThrownBy(() -> MvtecCategory.open(root))
                .isInstanceOf(DataException.class)
                .hasMessageContaining(root.resolve("ground_truth/scratch/001_mask.png").toString());
    }

    @Test
    void corruptImageIsNamedWhenOpening() throws IOException {
        Path root = category("screw", 4);
        Path corrupt = root.resolve("train/good/002.png");
        Files.write(corrupt, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
        assertThatThrownBy(() -> MvtecCategory.open(root))
                .isInstanceOf(DataException.class)
                .hasMessageContaining(corrupt.toString())
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    /** A category with the given number of train/good images, two good tests and three defects. */
    private Path category(String name, int trainGood) throws IOException {
        Path root = dir.resolve(name);
        Files.createDirectories(root.resolve("train/good"));
        for (int i = 0; i < trainGood; i++) {
            writeImage(root.resolve(String.format("train/good/%03d.png", i)), 0x101010 * (i % 15));
        }
        writeImage(root.resolve("test/good/000.png"), 0x808080);
        writeImage(root.resolve("test/good/001.png"), 0x808080);
        writeImage(root.resolve("test/crack/000.png"), 0xff0000);
        writeImage(root.resolve("ground_truth/crack/000_mask.png"), 0xffffff);
        writeImage(root.resolve("test/scratch/000.png"), 0xff0000);
        writeImage(root.resolve("test/scratch/001.png"), 0xff0000);
        writeImage(root.resolve("ground_truth/scratch/000_mask.png"), 0xffffff);
        writeImage(root.resolve("ground_truth/scratch/001_mask.png"), 0xffffff);
        return root;
    }

    private static void writeImage(Path file, int rgb) throws IOException {
        Files.createDirectories(file.getParent());
        BufferedImage img = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
        img.setRGB(1, 1, rgb);
        ImageIO.write(img, "png", file.toFile());
    }

    private static List<String> names(List<Sample> samples) {
        return samples.stream().map(s -> s.path().getFileName().toString()).toList();
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted((a, b) -> b.compareTo(a)).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
