package com.gladstream.glad.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import com.gladstream.glad.NDManagerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RandomConvFeaturesTest {

    @RegisterExtension
    final NDManagerExtension manager = NDManagerExtension.pytorch();

    @Test
    void layersHaveStrides2To8OnTheCallersManager() {
        try (FeatureExtractor features = new RandomConvFeatures()) {
            NDArray images = manager.get().randomUniform(-1f, 1f, new Shape(2, 3, 64, 48));
            NDList layers = features.extract(images);
            assertThat(layers).hasSize(3);
            for (int l = 0; l < 3; l++) {
                int stride = 2 << l;
                assertThat(layers.get(l).getShape())
                        .isEqualTo(new Shape(2, ConvFeatureNet.WIDTHS[l], 64 / stride, 48 / stride));
                assertThat(layers.get(l).getManager()).isSameAs(images.getManager());
            }
        }
    }

    @Test
    void theSeedAloneFixesTheWeightsAndTheNameRecreatesThem() {
        NDArray images = manager.get().randomUniform(-1f, 1f, new Shape(1, 1, 32, 32));
        try (FeatureExtractor features = FeatureExtractors.create("random-conv?seed=7&layers=1");
                FeatureExtractor again = FeatureExtractors.create(features.name());
                FeatureExtractor other = FeatureExtractors.create("random-conv?seed=8&layers=1")) {
            NDArray first = features.extract(images).singletonOrThrow();
            assertThat(again.name()).isEqualTo("random-conv?seed=7&layers=1");
            assertThat(first.allClose(again.extract(images).singletonOrThrow())).isTrue();
            assertThat(first.allClose(other.extract(images).singletonOrThrow())).isFalse();
        }
    }

    @Test
    void aUniformBrightnessShiftLeavesTheFeaturesAlone() {
        NDArray images = manager.get().randomUniform(-0.5f, 0.5f, new Shape(1, 3, 32, 32));
        try (FeatureExtractor features = new RandomConvFeatures()) {
            NDList plain = features.extract(images);
            NDList brighter = features.extract(images.add(0.3f));
            // Zero-padding at the border sees the shift; the interior of the first layer does not.
            NDArray inner = plain.get(0).get(":, :, 1:-1, 1:-1");
            assertThat(inner.allClose(brighter.get(0).get(":, :, 1:-1, 1:-1"), 1e-4, 1e-5, false)).isTrue();
            NDArray textured = features.extract(images.mul(2f)).get(0).get(":, :, 1:-1, 1:-1");
            assertThat(inner.allClose(textured, 1e-4, 1e-5, false)).isFalse();
        }
    }

    @Test
    void flatRegionsOfAnyBrightnessMapToTheSameNonZeroVector() {
        try (FeatureExtractor features = new RandomConvFeatures()) {
            NDArray dark = features.extract(manager.get().full(new Shape(1, 3, 32, 32), -0.5f)).get(0);
            NDArray light = features.extract(manager.get().full(new Shape(1, 3, 32, 32), 0.3f)).get(0);
            NDArray inner = dark.get(":, :, 1:-1, 1:-1");
            assertThat(inner.abs().sum().getFloat()).isPositive();
            assertThat(inner.allClose(light.get(":, :, 1:-1, 1:-1"), 1e-4, 1e-5, false)).isTrue();
        }
    }

    @Test
    void rejectsLayersItDoesNotHave() {
        assertThatThrownBy(() -> new RandomConvFeatures(0, new int[] {3}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("layers");
    }
}
