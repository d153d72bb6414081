package com.gladstream.glad.synthesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.gladstream.glad.image.FloatImage;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ScratchSpotSynthesizerTest {

    private static final int H = 64;
    private static final int W = 96;

    private final ScratchSpotSynthesizer synth = new ScratchSpotSynthesizer();

    @Test
    void sameSeedGivesTheSameDefectsAndAnotherSeedOthers() {
        FloatImage normal = flat(0.4f);
        SyntheticAnomaly a = synth.synthesize(normal, new Random(3));
        SyntheticAnomaly b = synth.synthesize(normal, new Random(3));
        SyntheticAnomaly c = synth.synthesize(normal, new Random(4));
        assertThat(a.image().data()).containsExactly(b.image().data());
        assertThat(a.mask()).containsExactly(b.mask());
        assertThat(a.mask()).isNotEqualTo(c.mask());
    }

    @Test
    void defectsAreSmallVisibleAndMarkedWhereTheImageChanged() {
        FloatImage normal = flat(0.4f);
        Random rng = new Random(1);
        for (int i = 0; i < 200; i++) {
            SyntheticAnomaly anomaly = synth.synthesize(normal, rng);
            int covered = 0;
            for (int p = 0; p < H * W; p++) {
                float m = anomaly.mask()[p];
                assertThat(m).isIn(0f, 1f);
                float change = Math.abs(anomaly.image().data()[p] - normal.data()[p]);
                if (m == 1) {
                    covered++;
                    assertThat(change).as("a masked pixel changes").isGreaterThan(0.02f);
                } else {
                    // Outside the mask only soft rims change, by under half a defect's full pull (0.6 of the
                    // 0.6 to white) each; where two rims overlap, by under twice that.
                    assertThat(change).isLessThan(2 * 0.5f * 0.6f * 0.6f);
                }
            }
            // Three defects at most, each a thin curve or a spot of radius ≤ short side / 12.
            assertThat(covered).isPositive().isLessThan(H * W / 10);
        }
    }

    @Test
    void defectsShowOnBlackAndOnWhiteSurfaces() {
        for (float surface : new float[] {0f, 1f}) {
            FloatImage normal = flat(surface);
            SyntheticAnomaly anomaly = synth.synthesize(normal, new Random(7));
            for (int p = 0; p < H * W; p++) {
                if (anomaly.mask()[p] == 1) {
                    assertThat(Math.abs(anomaly.image().data()[p] - surface)).isGreaterThan(0.1f);
                }
            }
        }
    }

    @Test
    void scratchesAreLongAndThinAndSpotsCompact() {
        Random rng = new Random(5);
        for (int i = 0; i < 50; i++) {
            float[] scratch = ScratchSpotSynthesizer.scratch(H, W, rng);
            float[] spot = ScratchSpotSynthesizer.spot(H, W, rng);
            // A scratch's extent exceeds its area's square root by far; a spot's does not.
            assertThat(extent(scratch)).isGreaterThan(1.5 * Math.sqrt(area(scratch)));
            assertThat(extent(spot)).isLessThanOrEqualTo(2.0 * Math.sqrt(area(spot)) + 2);
        }
    }

    @Test
    void familiesAreNamedInAnyCaseAndAnUnknownOneIsNamedInTheError() {
        assertThat(AnomalyFamily.parse("Scratches")).isEqualTo(AnomalyFamily.SCRATCHES);
        assertThat(synth.family()).isEqualTo(AnomalyFamily.SCRATCHES);
        assertThatThrownBy(() -> AnomalyFamily.parse("blobs")).hasMessageContaining("'blobs'")
                .hasMessageContaining("perlin").hasMessageContaining("scratches");
    }

    /** Pixels covered by at least one half. */
    private static double area(float[] coverage) {
        int n = 0;
        for (float c : coverage) {
            n += c >= 0.5f ? 1 : 0;
        }
        return Math.max(1, n);
    }

    /** The longer side of the bounding box of the pixels covered by at least one half. */
    private static double extent(float[] coverage) {
        int minX = W;
        int maxX = -1;
        int minY = H;
        int maxY = -1;
        for (int p = 0; p < coverage.length; p++) {
            if (coverage[p] >= 0.5f) {
                minX = Math.min(minX, p % W);
                maxX = Math.max(maxX, p % W);
                minY = Math.min(minY, p / W);
                maxY = Math.max(maxY, p / W);
            }
        }
        return maxX < 0 ? 0 : Math.max(maxX - minX, maxY - minY) + 1;
    }

    private static FloatImage flat(float v) {
        float[] d = new float[3 * H * W];
        Arrays.fill(d, v);
        return new FloatImage(3, H, W, d);
    }
}
