package com.gladstream.glad.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.gladstream.glad.diffusion.unet.UNet;
import com.gladstream.glad.diffusion.unet.UNetConfig;
import com.gladstream.glad.model.GladModel;
import com.gladstream.glad.model.ModelMetadata;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UNetEncoderFeaturesTest {

    private static final UNetConfig GRAY_THREE_LEVELS = new UNetConfig(32, 1, 8, List.of(1, 2, 4), 1, List.of(2), 2, 4);

    private NDManager manager;
    private GladModel model;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
        // Random values in every parameter: a freshly initialised UNet ignores t (its residual branches start at zero).
        Map<String, NDArray> weights = new java.util.LinkedHashMap<>();
        new UNet(GRAY_THREE_LEVELS).parameterShapes().forEach((name, shape) ->
                weights.put(name, manager.randomNormal(shape).mul(0.2)));
        model = GladModel.of(new ModelMetadata(null, "cat", "custom", GRAY_THREE_LEVELS, "sha256:x", 0, false, 0,
                null, Map.of(), Instant.now()), weights);
    }

    @AfterEach
    void close() {
        model.close();
        manager.close();
    }

    @Test
    void defaultLayersSkipTheFullResolutionLevel() {
        try (FeatureExtractor features = new UNetEncoderFeatures(model)) {
            NDList maps = features.extract(manager.randomUniform(-1, 1, new Shape(2, 1, 32, 32)));
            assertThat(maps.getShapes()).containsExactly(
                    new Shape(2, 16, 16, 16), new Shape(2, 32, 8, 8), new Shape(2, 32, 8, 8));
            assertThat(features.name()).isEqualTo("unet-encoder?t=20&layers=1,2,3");
        }
        // Closing the extractor leaves the model usable.
        NDArray x = manager.zeros(new Shape(1, 1, 32, 32));
        assertThat(model.predictNoise(x, new int[] {5}).getShape()).isEqualTo(x.getShape());
    }

    @Test
    void colourImagesFeedAGrayModelThroughTheirLuminance() {
        UNetEncoderFeatures features = new UNetEncoderFeatures(model, 10, new int[] {0});
        NDArray gray = manager.randomUniform(-1, 1, new Shape(1, 1, 16, 16));
        NDArray rgb = gray.repeat(1, 3);
        float[] fromGray = features.extract(gray).get(0).toFloatArray();
        float[] fromRgb = features.extract(rgb).get(0).toFloatArray();
        assertThat(fromRgb).containsExactly(fromGray, org.assertj.core.data.Offset.offset(1e-5f));
    }

    @Test
    void theMapsDependOnTheTimestepAndAreDeterministic() {
        NDArray x = manager.randomUniform(-1, 1, new Shape(1, 1, 32, 32));
        float[] early = new UNetEncoderFeatures(model, 10, new int[] {3}).extract(x).get(0).toFloatArray();
        float[] again = new UNetEncoderFeatures(model, 10, new int[] {3}).extract(x).get(0).toFloatArray();
        float[] late = new UNetEncoderFeatures(model, 500, new int[] {3}).extract(x).get(0).toFloatArray();
        assertThat(again).containsExactly(early);
        assertThat(late).isNotEqualTo(early);
    }

    @Test
    void layersOutsideTheEncoderAreRejected() {
        assertThatThrownBy(() -> new UNetEncoderFeatures(model, 10, new int[] {4}))
                .hasMessageContaining("layers must be in [0, 4)");
        assertThatThrownBy(() -> new UNetEncoderFeatures(model, 1000, new int[] {1}))
                .hasMessageContaining("timestep 1000");
    }
}
