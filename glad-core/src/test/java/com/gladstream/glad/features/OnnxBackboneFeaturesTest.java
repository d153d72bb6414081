package com.gladstream.glad.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import com.gladstream.glad.NDManagerExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;

class OnnxBackboneFeaturesTest {

    private static final String MOBILENET = "models/mobilenetv2-int8-features.onnx";

    @RegisterExtension
    final NDManagerExtension manager = NDManagerExtension.pytorch();

    @Test
    void mobileNetLayersHaveStrides4To16AtBothResolutions() {
        Path model = SharedFiles.require(MOBILENET);
        try (FeatureExtractor features = new OnnxBackboneFeatures(model, List.of("feat_s4", "feat_s8", "feat_s16"), 0)) {
            for (int size : new int[] {128, 256}) {
                NDArray images = manager.get().randomUniform(-1f, 1f, new Shape(2, 3, size, size));
                NDList layers = features.extract(images);
                assertThat(layers).hasSize(3);
                assertThat(layers.get(0).getShape()).isEqualTo(new Shape(2, 24, size / 4, size / 4));
                assertThat(layers.get(1).getShape()).isEqualTo(new Shape(2, 32, size / 8, size / 8));
                assertThat(layers.get(2).getShape()).isEqualTo(new Shape(2, 96, size / 16, size / 16));
                assertThat(layers.get(0).getManager()).isSameAs(images.getManager());
            }
        }
    }

    @Test
    void grayImagesAreReplicatedToRgbAndSizesRoundedToStride32() {
        Path model = SharedFiles.require(MOBILENET);
        try (FeatureExtractor features = new OnnxBackboneFeatures(model, List.of("expand_s8"), 0)) {
            NDArray gray = manager.get().randomUniform(-1f, 1f, new Shape(1, 1, 100, 120));
            NDArray rgb = gray.repeat(1, 3);
            NDArray fromGray = features.extract(gray).singletonOrThrow();
            assertThat(fromGray.getShape()).isEqualTo(new Shape(1, 192, 96 / 8, 128 / 8));
            assertThat(fromGray.allClose(features.extract(rgb).singletonOrThrow())).isTrue();
        }
    }

    @Test
    void nameIsASpecThatRecreatesTheExtractor() {
        Path model = SharedFiles.require(MOBILENET);
        try (FeatureExtractor features = new OnnxBackboneFeatures(model, List.of("feat_s8", "expand_s16"), 224);
                FeatureExtractor again = FeatureExtractors.create(features.name())) {
            assertThat(again.name()).isEqualTo(features.name());
            NDArray images = manager.get().randomUniform(-1f, 1f, new Shape(1, 3, 64, 64));
            assertThat(again.extract(images).get(1).getShape()).isEqualTo(new Shape(1, 576, 14, 14));
        }
    }

    @Test
    void theDefaultSpecTakesTheDefaultOutputs() {
        Path model = SharedFiles.require(MOBILENET);
        try (FeatureExtractor features = FeatureExtractors.create("onnx:" + model)) {
            NDArray images = manager.get().randomUniform(-1f, 1f, new Shape(1, 3, 64, 64));
            assertThat(features.extract(images)).hasSize(FeatureExtractors.DEFAULT_ONNX_OUTPUTS.size());
            assertThat(features.name()).contains("outputs=" + String.join(",", FeatureExtractors.DEFAULT_ONNX_OUTPUTS));
        }
    }

    @Test
    void unknownOutputIsNamed() {
        Path model = SharedFiles.require(MOBILENET);
        assertThatThrownBy(() -> new OnnxBackboneFeatures(model, List.of("feat_s99"), 0))
                .hasMessageContaining("feat_s99")
                .hasMessageContaining(model.toString());
    }

    @Test
    void missingFileIsReportedByName(@TempDir Path dir) {
        Path missing = dir.resolve("absent.onnx");
        assertThatThrownBy(() -> FeatureExtractors.create("onnx:" + missing))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ONNX feature model not found: " + missing);
    }

    @Test
    void corruptFileIsReportedByNameOnOneLine(@TempDir Path dir) throws IOException {
        Path corrupt = Files.writeString(dir.resolve("corrupt.onnx"), "not a protobuf model");
        assertThatThrownBy(() -> FeatureExtractors.create("onnx:" + corrupt))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cannot load ONNX feature model " + corrupt + ": ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
}
