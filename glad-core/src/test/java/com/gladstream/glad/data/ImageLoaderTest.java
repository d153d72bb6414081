package com.gladstream.glad.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.gladstream.glad.image.FloatImage;
import com.gladstream.glad.image.ImageSize;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageLoaderTest {

    @TempDir
    Path dir;

    @Test
    void grayInputIsReplicatedForAnRgbModelWithoutGammaShift() throws IOException {
        BufferedImage gray = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
        gray.getRaster().setSample(1, 2, 0, 128);
        Path file = write(gray, "gray.png");

        FloatImage rgb = ImageLoader.load(file, 3, 4);

        assertThat(rgb.channels()).isEqualTo(3);
        for (int c = 0; c < 3; c++) {
            assertThat(rgb.get(c, 2, 1)).isCloseTo(128 / 255f, within(1e-6f));
            assertThat(rgb.get(c, 0, 0)).isZero();
        }
    }

    @Test
    void rgbInputBecomesLuminanceForAGrayModel() throws IOException {
        BufferedImage rgb = new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB);
        rgb.setRGB(0, 0, 0xff0000);
        rgb.setRGB(1, 1, 0x00ff00);
        FloatImage gray = ImageLoader.load(write(rgb, "rgb.png"), 1, 2);
        assertThat(gray.channels()).isEqualTo(1);
        assertThat(gray.get(0, 0, 0)).isCloseTo(0.299f, within(1e-4f));
        assertThat(gray.get(0, 1, 1)).isCloseTo(0.587f, within(1e-4f));
    }

    @Test
    void imagesOfAnySizeAndFormatAreResized() throws IOException {
        BufferedImage wide = new BufferedImage(30, 10, BufferedImage.TYPE_INT_RGB);
        FloatImage fromJpeg = ImageLoader.load(write(wide, "wide.jpg"), 3, 16);
        FloatImage fromBmp = ImageLoader.load(write(wide, "wide.bmp"), 3, 16);
        assertThat(fromJpeg.height()).isEqualTo(16);
        assertThat(fromJpeg.width()).isEqualTo(16);
        assertThat(fromBmp.data()).hasSize(3 * 16 * 16);
    }

    @Test
    void masksOfAnotherSizeAreResizedAndBinary() throws IOException {
        BufferedImage mask = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 8; x++) {
                mask.getRaster().setSample(x, y, 0, 255);
            }
        }
        float[] m = ImageLoader.loadMask(write(mask, "m_mask.png"), ImageSize.square(4));
        assertThat(m).hasSize(16);
        float[] expected = {1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0};
        assertThat(m).containsExactly(expected);
    }

    @Test
    void goodSamplesHaveAnAllZeroMask() {
        float[] m = ImageLoader.loadMask(new Sample(dir.resolve("x.png"), false, Sample.GOOD, null), ImageSize.square(5));
        assertThat(m).hasSize(25).containsOnly(0f);
    }

    @Test
    void garbageBytesGiveAOneLineErrorNamingTheFile() throws IOException {
        Path file = dir.resolve("garbage.png");
        Files.write(file, "this is not an image at all".getBytes());
        assertThatThrownBy(() -> ImageLoader.load(file, 3, 8))
                .isInstanceOf(DataException.class)
                .hasMessageContaining(file.toString())
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void truncatedPngGivesAOneLineErrorNamingTheFile() throws IOException {
        BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < 64; i++) {
            img.setRGB(i, i, 0x123456 * i);
        }
        Path whole = write(img, "whole.png");
        byte[] bytes = Files.readAllBytes(whole);
        Path truncated = dir.resolve("truncated.png");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));

        assertThatThrownBy(() -> ImageLoader.load(truncated, 3, 8))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("truncated.png")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void missingFileIsNamed() {
        Path missing = dir.resolve("nope.png");
        assertThatThrownBy(() -> ImageLoader.load(missing, 3, 8))
                .isInstanceOf(DataException.class)
                .hasMessage("image not found: " + missing);
    }

    private Path write(BufferedImage img, String name) throws IOException {
        Path file = dir.resolve(name);
        String format = name.substring(name.lastIndexOf('.') + 1);
        assertThat(ImageIO.write(img, format, file.toFile())).isTrue();
        return file;
    }
}
