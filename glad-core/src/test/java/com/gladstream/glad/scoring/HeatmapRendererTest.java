package com.gladstream.glad.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.gladstream.glad.image.FloatImage;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeatmapRendererTest {

    @Test
    void hotPixelsAreRedColdOnesBlueOnAFixedScale(@TempDir Path dir) throws IOException {
        FloatImage gray = FloatImage.zeros(1, 8, 8);
        float[] v = new float[4 * 4];
        v[0] = 2f; // above the range: clamped to the hottest colour
        AnomalyMap map = new AnomalyMap(4, 4, v);
        Path file = dir.resolve("heat/map.png");
        new HeatmapRenderer(0, 1, 1.0).writePng(gray, map, file);

        BufferedImage png = ImageIO.read(file.toFile());
        assertThat(png.getWidth()).isEqualTo(8);
        int hot = png.getRGB(0, 0);
        int cold = png.getRGB(7, 7);
        assertThat(red(hot)).isGreaterThan(100);
        assertThat(blue(hot)).isZero();
        assertThat(blue(cold)).isGreaterThan(100);
        assertThat(red(cold)).isZero();
    }

    @Test
    void opacityBlendsColourOverTheImage() {
        FloatImage white = new FloatImage(1, 2, 2, new float[] {1, 1, 1, 1});
        AnomalyMap cold = new AnomalyMap(2, 2, new float[4]);
        int pixel = new HeatmapRenderer(0, 1, 0.5).overlay(white, cold).getRGB(1, 1);
        int colour = HeatmapRenderer.jet(0);
        assertThat(blue(pixel)).isEqualTo(Math.round(0.5f * 255 + 0.5f * blue(colour)));
        assertThat(red(pixel)).isEqualTo(Math.round(0.5f * 255 + 0.5f * red(colour)));
    }

    private static int red(int rgb) {
        return (rgb >> 16) & 0xff;
    }

    private static int blue(int rgb) {
        return rgb & 0xff;
    }
}
