package com.gladstream.glad.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.gladstream.glad.data.synthetic.SyntheticCategoryGenerator;
import com.gladstream.glad.data.synthetic.SyntheticCategoryOptions;
import com.gladstream.glad.evaluation.EvaluationSet;
import com.gladstream.glad.image.FloatImage;
import com.gladstream.glad.synthesis.AnomalySynthesizer;
import com.gladstream.glad.synthesis.SynthesisConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelInputTest {

    @TempDir
    Path dir;

    @Test
    void convertsChannelsThenResizesOnceToTheModelsSide() {
        FloatImage decoded = random(3, 90, 150, 1);
        FloatImage prepared = ModelInput.prepare(decoded, 1, 32);
        assertThat(prepared.channels()).isEqualTo(1);
        assertThat(prepared.height()).isEqualTo(32);
        assertThat(prepared.width()).isEqualTo(32);
        assertThat(prepared.data()).containsExactly(ModelInput.withChannels(decoded, 1).resize(32, 32).data());
        // Preparing prepared pixels again changes nothing, so the detector may prepare whatever it is given.
        assertThat(ModelInput.prepare(prepared, 1, 32).data()).containsExactly(prepared.data());
        assertThat(ModelInput.prepare(random(1, 8, 8, 2), 3, 8).channels()).isEqualTo(3);
        assertThatThrownBy(() -> ModelInput.prepare(decoded, 2, 32)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void evaluationSeesExactlyThePixelsCalibrationSees() {
        MvtecCategory category = SyntheticCategoryGenerator.write(dir.resolve("wood"),
                new SyntheticCategoryOptions("wood", SyntheticCategoryOptions.Kind.TEXTURE, 12, 2, 1, 96, 5));
        int resolution = 40;
        List<FloatImage> calibration = ModelInput.loadAll(category.heldOutSamples(), 3, resolution);
        EvaluationSet validation = EvaluationSet.syntheticValidationSet(category, 64, resolution,
                new AnomalySynthesizer(SynthesisConfig.defaults()), 1, 0L);
        for (int i = 0; i < calibration.size(); i++) {
            EvaluationSet.Item good = validation.items().get(i);
            assertThat(good.anomalous()).isFalse();
            assertThat(good.image().data()).as(good.id()).containsExactly(calibration.get(i).data());
            assertThat(good.mask()).hasSize(64 * 64);
        }
        EvaluationSet test = EvaluationSet.testSet(category, 64, resolution);
        Sample first = category.testSamples().get(0);
        assertThat(test.items().get(0).image().data())
                .containsExactly(ModelInput.prepare(ImageLoader.load(first.path(), 3), 3, resolution).data());
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
