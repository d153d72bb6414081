package com.gladstream.glad.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import com.gladstream.glad.NDManagerExtension;
import com.gladstream.glad.scoring.AnomalyMap;
import com.gladstream.glad.scoring.AnomalyScorer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A spec combining the layers of several extractors into one anomaly map. */
class CombinedFeaturesTest {

    @RegisterExtension
    final NDManagerExtension manager = NDManagerExtension.pytorch();

    @Test
    void theCombinedMapIsTheLayerWeightedMeanOfThePartsMapsAndTheNameRecreatesIt() {
        String spec = "pixel?patches=4+random-conv?seed=3&layers=1,2";
        NDArray query = manager.get().randomUniform(-1f, 1f, new Shape(2, 3, 32, 32));
        NDArray reference = manager.get().randomUniform(-1f, 1f, new Shape(2, 3, 32, 32));
        try (FeatureExtractor combined = FeatureExtractors.create(spec);
                FeatureExtractor again = FeatureExtractors.create(combined.name());
                FeatureExtractor pixel = FeatureExtractors.create("pixel?patches=4");
                FeatureExtractor random = FeatureExtractors.create("random-conv?seed=3&layers=1,2")) {
            assertThat(combined).isInstanceOf(CombinedFeatures.class);
            assertThat(combined.name()).isEqualTo(spec);
            assertThat(again.name()).isEqualTo(spec);
            assertThat(combined.extract(query)).hasSize(3);

            List<AnomalyMap> both = maps(combined, query, reference);
            List<AnomalyMap> pixelMaps = maps(pixel, query, reference);
            List<AnomalyMap> randomMaps = maps(random, query, reference);
            for (int i = 0; i < both.size(); i++) {
                float[] actual = both.get(i).values();
                for (int p = 0; p < actual.length; p++) {
                    float expected = (pixelMaps.get(i).values()[p] + 2 * randomMaps.get(i).values()[p]) / 3;
                    assertThat(actual[p]).isCloseTo(expected, within(1e-5f));
                }
            }
        }
    }

    @Test
    void aCombinationCanServeTheMapWhileAnotherExtractorServesTheTrigger() {
        try (FeatureExtractor split = FeatureExtractors.create("trigger=pixel;map=pixel+random-conv")) {
            assertThat(split.forTrigger()).isInstanceOf(PixelPatchFeatures.class);
            assertThat(split.name()).startsWith("trigger=pixel").contains(";map=pixel").contains("+random-conv");
        }
        assertThat(FeatureExtractors.needsFeatureNet("learned+unet-encoder")).isTrue();
        assertThat(FeatureExtractors.needsFeatureNet("trigger=pixel;map=pixel+learned?layers=1")).isTrue();
        assertThat(FeatureExtractors.needsFeatureNet("pixel+random-conv")).isFalse();
    }

    @Test
    void anEmptyPartOrAnUnknownOneIsReported() {
        assertThatThrownBy(() -> FeatureExtractors.create("pixel+"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("<spec>+<spec>");
        assertThatThrownBy(() -> FeatureExtractors.create("pixel+nonsense"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown feature extractor 'nonsense'");
    }

    private static List<AnomalyMap> maps(FeatureExtractor features, NDArray query, NDArray reference) {
        return new AnomalyScorer(features, AnomalyScorer.Settings.DEFAULTS).maps(query, reference);
    }
}
