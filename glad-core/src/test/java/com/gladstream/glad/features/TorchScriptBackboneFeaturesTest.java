package com.gladstream.glad.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import com.gladstream.glad.NDManagerExtension;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Runs the fixture written by src/test/resources/features/make_tiny_backbone.py (block means, see there). */
class TorchScriptBackboneFeaturesTest {

    private static final float[] MEAN = {0.485f, 0.456f, 0.406f};
    private static final float[] STD = {0.229f, 0.224f, 0.225f};

    @RegisterExtension
    final NDManagerExtension manager = NDManagerExtension.pytorch();

    @Test
    void layersAreTheModulesOutputsOnImageNetNormalisedInput() throws URISyntaxException {
        int size = 32;
        float[] pixels = new float[3 * size * size];
        Random random = new Random(3);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = random.nextFloat() * 2 - 1;
        }
        try (FeatureExtractor features = FeatureExtractors.create("torchscript:" + fixture())) {
            NDArray images = manager.get().create(pixels, new Shape(1, 3, size, size));
            NDList layers = features.extract(images);
            assertThat(layers).hasSize(2);
            assertThat(layers.get(0).getShape()).isEqualTo(new Shape(1, 8, 8, 8));
            assertThat(layers.get(1).getShape()).isEqualTo(new Shape(1, 16, 4, 4));
            assertThat(layers.get(0).getManager()).isSameAs(images.getManager());
            float[] s8 = layers.get(1).toFloatArray();
            for (int by = 0; by < 4; by++) {
                for (int bx = 0; bx < 4; bx++) {
                    assertThat(s8[by * 4 + bx]).isCloseTo(blockMean(pixels, size, by * 8, bx * 8, 8), within(1e-4f));
                }
            }
        }
    }

    @Test
    void missingAndCorruptFilesAreReportedByName(@TempDir Path dir) throws IOException {
        Path missing = dir.resolve("absent.pt");
        assertThatThrownBy(() -> new TorchScriptBackboneFeatures(missing, 0))
                .hasMessage("TorchScript feature model not found: " + missing);
        Path corrupt = Files.writeString(dir.resolve("corrupt.pt"), "not a TorchScript archive");
        assertThatThrownBy(() -> new TorchScriptBackboneFeatures(corrupt, 0))
                .hasMessageStartingWith("cannot load TorchScript feature model " + corrupt + ": ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    /** The mean over a block and the three channels of the ImageNet-normalised model-space image. */
    private static float blockMean(float[] modelSpace, int size, int y0, int x0, int block) {
        double sum = 0;
        for (int c = 0; c < 3; c++) {
            for (int y = y0; y < y0 + block; y++) {
                for (int x = x0; x < x0 + block; x++) {
                    float rgb = (modelSpace[(c * size + y) * size + x] + 1) / 2;
                    sum += (rgb - MEAN[c]) / STD[c];
                }
            }
        }
        return (float) (sum / (3 * block * block));
    }

    private static Path fixture() throws URISyntaxException {
        return Path.of(TorchScriptBackboneFeaturesTest.class.getResource("/features/tiny-backbone.pt").toURI());
    }
}
