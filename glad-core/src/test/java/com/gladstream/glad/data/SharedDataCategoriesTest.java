package com.gladstream.glad.data;

import static org.assertj.core.api.Assertions.assertThat;

import com.gladstream.glad.image.FloatImage;
import com.gladstream.glad.image.ImageSize;
import org.junit.jupiter.api.Test;

/** The real categories open with the counts their README gives. Skipped without shared/data. */
class SharedDataCategoriesTest {

    @Test
    void hazelnutToy() {
        MvtecCategory c = MvtecCategory.open(SharedData.require("hazelnut_toy"));
        assertCounts(c, 28, 6, 17);
        assertThat(c.defectTypes()).containsExactly("colour");
    }

    @Test
    void mpddMetalPlate() {
        MvtecCategory c = MvtecCategory.open(SharedData.require("mpdd_metal_plate"));
        assertCounts(c, 54, 26, 81);
        assertThat(c.defectTypes()).containsExactly("defect");
        Sample defective = c.testSamples().get(c.testSamples().size() - 1);
        FloatImage image = ImageLoader.load(defective.path(), 3, 64);
        float[] mask = ImageLoader.loadMask(defective, ImageSize.square(64));
        assertThat(image.height()).isEqualTo(64);
        assertThat(mask).hasSize(64 * 64).contains(1f);
    }

    private static void assertCounts(MvtecCategory c, int trainGood, int testGood, int testDefect) {
        assertThat(c.trainSamples().size() + c.heldOutSamples().size()).isEqualTo(trainGood);
        assertThat(c.heldOutSamples()).hasSizeGreaterThanOrEqualTo(MvtecCategory.MIN_HELD_OUT);
        assertThat(c.testSamples().stream().filter(s -> !s.anomalous())).hasSize(testGood);
        assertThat(c.testSamples().stream().filter(Sample::anomalous)).hasSize(testDefect);
    }
}
