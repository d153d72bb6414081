package com.gladstream.glad.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RegionExtractorTest {

    @Test
    void diagonalNeighboursJoinAndRegionsComeStrongestFirst() {
        float[] v = new float[10 * 12];
        AnomalyMap map = new AnomalyMap(10, 12, v);
        // A diagonal pair (one 8-connected region) peaking at 0.6 ...
        v[2 * 12 + 2] = 0.6f;
        v[3 * 12 + 3] = 0.5f;
        // ... and a 2×3 block peaking at 0.9.
        for (int y = 6; y < 8; y++) {
            for (int x = 7; x < 10; x++) {
                v[y * 12 + x] = 0.7f;
            }
        }
        v[7 * 12 + 9] = 0.9f;
        v[0] = 0.2f; // below the threshold

        List<Region> regions = RegionExtractor.extract(map, 0.3);
        assertThat(regions).containsExactly(new Region(7, 6, 3, 2, 0.9f, 6), new Region(2, 2, 2, 2, 0.6f, 2));
        assertThat(RegionExtractor.extract(map, 0.95)).isEmpty();
    }
}
