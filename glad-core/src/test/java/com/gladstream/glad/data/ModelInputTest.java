package com.gladstream.glad.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.gladstream.glad.data.synthetic.SyntheticCategoryGenerator;
import com.gladstream.glad.data.synthetic.SyntheticCategoryOptions;
import com.gladstream.glad.evaluation.EvaluationSet;
import com.gladstream.glad.image.FloatImage;
import com.gladstream.glad.image.ImageSize;
import com.gladstream.glad.synthesis.AnomalySynthesizer;
import com.gladstream.glad.synthesis.SynthesisConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelInputTest {

    @TempDir
    Path dir;

    @Test
    void convertsChannelsThenResizesOnceToTheModelsSide() {
        FloatImage decoded = random(3, 90, 150, 1);
        FloatImage prepared = ModelInput.prepare(decoded, 1, ImageSize.square(32));
        assertThat(prepared.channels()).isEqualTo(1);
        assertThat(prepared.height()).isEqualTo(32);
        assertThat(prepared.width()).isEqualTo(32);
        // Halving is the same with area weights as bilinear; upsampling is bilinear.
        FloatImage even = random(3, 64, 64, 3);
        assertThat(maxDifference(ModelInput.prepare(even, 3, ImageSize.square(32)), even.resize(32, 32))).isLessThan(1e-5);
        assertThat(maxDifference(ModelInput.prepare(even, 3, ImageSize.square(96)), even.resize(96, 96))).isLessThan(1e-5);
        // Preparing prepared pixels again changes nothing, so the detector may prepare whatever it is given.
        assertThat(ModelInput.prepare(prepared, 1, ImageSize.square(32)).data()).containsExactly(prepared.data());
        assertThat(ModelInput.prepare(random(1, 8, 8, 2), 3, ImageSize.square(8)).channels()).isEqualTo(3);
        assertThatThrownBy(() -> ModelInput.prepare(decoded, 2, ImageSize.square(32))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aDefectOfOnePixelSurvivesAnEightfoldReductionWithItsArea() {
        FloatImage camera = FloatImage.zeros(1, 256, 256);
        camera.set(0, 101, 77, 1f);
        float[] prepared = ModelInput.prepare(camera, 1, ImageSize.square(32)).data();
        double sum = 0;
        for (float v : prepared) {
            sum += v;
        }
        assertThat(sum).isCloseTo(1.0 / 64, Offset.offset(1e-6));
        assertThat(prepared[(101 / 8) * 32 + 77 / 8]).isCloseTo(1f / 64, Offset.offset(1e-7f));
        // A bilinear resize reads only rows and columns 3-4 of each 8: this pixel is lost.
        float max = 0;
        for (float v : camera.resize(32, 32).data()) {
            max = Math.max(max, v);
        }
        assertThat(max).isZero();
    }

    @Test
    void aWideCameraImageKeepsItsAspectAndItsDefectsArea() {
        FloatImage camera = FloatImage.zeros(1, 46, 113);
        camera.set(0, 20, 90, 1f);
        ImageSize size = ImageSize.withAspect(16, 113.0 / 46, 4);
        assertThat(size).isEqualTo(new ImageSize(16, 40));
        FloatImage prepared = ModelInput.prepare(camera, 1, size);
        assertThat(prepared.height()).isEqualTo(16);
        assertThat(prepared.width()).isEqualTo(40);
        double sum = 0;
        for (float v : prepared.data()) {
            sum += v;
        }
        // Both axes shrink by about the same factor, so the pixel keeps its share of the image.
        assertThat(sum).isCloseTo(16.0 * 40 / (46 * 113), Offset.offset(1e-6));
    }

    @Test
    void evaluationSeesExactlyThePixelsCalibrationSees() {
        MvtecCategory category = SyntheticCategoryGenerator.write(dir.resolve("wood"),
                new SyntheticCategoryOptions("wood", SyntheticCategoryOptions.Kind.TEXTURE, 12, 2, 1, 96, 5));
        int resolution = 40;
        List<FloatImage> calibration = ModelInput.loadAll(category.heldOutSamples(), 3, ImageSize.square(resolution));
        EvaluationSet validation = EvaluationSet.syntheticValidationSet(category, ImageSize.square(64), ImageSize.square(resolution),
                new AnomalySynthesizer(SynthesisConfig.defaults()), 1, 0L);
        for (int i = 0; i < calibration.size(); i++) {
            EvaluationSet.Item good = validation.items().get(i);
            assertThat(good.anomalous()).isFalse();
            assertThat(good.image().data()).as(good.id()).containsExactly(calibration.get(i).data());
            assertThat(good.mask()).hasSize(64 * 64);
        }
        EvaluationSet test = EvaluationSet.testSet(category, ImageSize.square(64), ImageSize.square(resolution));
        Sample first = category.testSamples().get(0);
        assertThat(test.items().get(0).image().data())
                .containsExactly(ModelInput.prepare(ImageLoader.load(first.path(), 3), 3, ImageSize.square(resolution)).data());
    }

    private static double maxDifference(FloatImage a, FloatImage b) {
        assertThat(a.data()).hasSameSizeAs(b.data());
        double max = 0;
        for (int i = 0; i < a.data().length; i++) {
            max = Math.max(max, Math.abs(a.data()[i] - b.data()[i]));
        }
        return max;
    }

    private static FloatImage random(int channels, int h, int w, long seed) {
        Random rng = new Random(seed);
        float[] data = new float[channels * h * w];
        for (int i = 0; i < data.length; i++) {
            data[i] = rng.nextFloat();
        }
        return new FloatImage(channels, h, w, data);
    }
}
