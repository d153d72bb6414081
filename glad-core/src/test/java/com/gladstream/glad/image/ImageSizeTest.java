package com.gladstream.glad.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ImageSizeTest {

    @Test
    void theLongerSideFollowsTheAspectRoundedToTheNetworksMultiple() {
        // bsdata_pitting's 1130x460 at the cpu preset's 128 px and multiple 4: 314.4 rounds to 316.
        assertThat(ImageSize.withAspect(128, 1130.0 / 460, 4)).isEqualTo(new ImageSize(128, 316));
        assertThat(ImageSize.withAspect(128, 460.0 / 1130, 4)).isEqualTo(new ImageSize(316, 128));
        assertThat(ImageSize.withAspect(64, 1, 4)).isEqualTo(ImageSize.square(64));
        // Never shorter than the short side, however close to square.
        assertThat(ImageSize.withAspect(64, 1.01, 8)).isEqualTo(ImageSize.square(64));
        assertThat(new ImageSize(128, 316).toString()).isEqualTo("316x128");
    }

    @Test
    void aMetricGridKeepsTheModelsAspect() {
        ImageSize grid = new ImageSize(128, 316).withShortSide(256);
        assertThat(grid).isEqualTo(new ImageSize(256, 632));
        assertThat(new ImageSize(316, 128).withShortSide(256)).isEqualTo(new ImageSize(632, 256));
        assertThat(ImageSize.square(128).withShortSide(256)).isEqualTo(ImageSize.square(256));
    }

    @Test
    void invalidSizesAreRefused() {
        assertThatThrownBy(() -> new ImageSize(0, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ImageSize.withAspect(30, 2, 4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ImageSize.withAspect(32, 0, 4)).isInstanceOf(IllegalArgumentException.class);
    }
}
