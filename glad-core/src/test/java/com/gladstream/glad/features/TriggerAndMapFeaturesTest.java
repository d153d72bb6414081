package com.gladstream.glad.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import com.gladstream.glad.NDManagerExtension;
import com.gladstream.glad.scoring.AnomalyMap;
import com.gladstream.glad.scoring.AnomalyScorer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A spec naming one extractor for the ADS trigger and another for the final map. */
class TriggerAndMapFeaturesTest {

    @RegisterExtension
    final NDManagerExtension manager = NDManagerExtension.pytorch();

    @Test
    void theTriggerAndTheMapEachUseTheirOwnExtractorAndTheNameRecreatesBoth() {
        String spec = "trigger=pixel?patches=4;map=random-conv?seed=3&layers=1";
        NDArray query = manager.get().randomUniform(-1f, 1f, new Shape(2, 3, 32, 32));
        NDArray reference = manager.get().randomUniform(-1f, 1f, new Shape(2, 3, 32, 32));
        try (FeatureExtractor both = FeatureExtractors.create(spec);
                FeatureExtractor again = FeatureExtractors.create(both.name());
                FeatureExtractor pixel = FeatureExtractors.create("pixel?patches=4");
                FeatureExtractor random = FeatureExtractors.create("random-conv?seed=3&layers=1")) {
            assertThat(both.name()).isEqualTo(spec);
            assertThat(again.name()).isEqualTo(spec);
            assertThat(both.forTrigger().name()).isEqualTo("pixel?patches=4");
            assertThat(pixel.forTrigger()).isSameAs(pixel);

            AnomalyScorer split = new AnomalyScorer(both, AnomalyScorer.Settings.DEFAULTS);
            assertSameMaps(split.triggerMaps(query, reference),
                    new AnomalyScorer(pixel, AnomalyScorer.Settings.DEFAULTS).maps(query, reference));
            assertSameMaps(split.maps(query, reference),
                    new AnomalyScorer(random, AnomalyScorer.Settings.DEFAULTS).maps(query, reference));
        }
    }

    @Test
    void aMalformedPairIsReportedWithTheFormExpected() {
        assertThatThrownBy(() -> FeatureExtractors.create("map=pixel;trigger=pixel"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("trigger=<spec>;map=<spec>");
        assertThatThrownBy(() -> FeatureExtractors.create("trigger=pixel;map=nonsense"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown feature extractor 'nonsense'");
        assertThat(FeatureExtractors.needsFeatureNet("trigger=learned;map=unet-encoder")).isTrue();
        assertThat(FeatureExtractors.needsFeatureNet("unet-encoder")).isFalse();
    }

    private static void assertSameMaps(List<AnomalyMap> actual, List<AnomalyMap> expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < actual.size(); i++) {
            assertThat(actual.get(i).values()).containsExactly(expected.get(i).values());
        }
    }
}
