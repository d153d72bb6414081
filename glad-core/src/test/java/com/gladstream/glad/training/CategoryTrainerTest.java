package com.gladstream.glad.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.gladstream.glad.data.ImageLoader;
import com.gladstream.glad.data.MvtecCategory;
import com.gladstream.glad.data.PngWriter;
import com.gladstream.glad.data.synthetic.SyntheticCategoryGenerator;
import com.gladstream.glad.data.synthetic.SyntheticCategoryOptions;
import com.gladstream.glad.diffusion.unet.UNetConfig;
import com.gladstream.glad.image.FloatImage;
import com.gladstream.glad.image.ImageSize;
import com.gladstream.glad.model.Calibration;
import com.gladstream.glad.model.Directories;
import com.gladstream.glad.model.GladModel;
import com.gladstream.glad.model.ModelStore;
import com.gladstream.glad.pipeline.Detection;
import com.gladstream.glad.pipeline.DetectorSession;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** From a folder with only train/good to a calibrated model, and a detector built from it. */
class CategoryTrainerTest {

    @TempDir
    Path dir;

    @Test
    void trainsAndCalibratesFromTrainGoodAloneAndTheSessionUsesThatCalibration() throws Exception {
        MvtecCategory generated = SyntheticCategoryGenerator.write(dir.resolve("wood"),
                new SyntheticCategoryOptions("wood", SyntheticCategoryOptions.Kind.TEXTURE, 10, 2, 1, 64, 3));
        Path probe = generated.testSamples().get(1).path();
        Path probeCopy = Files.copy(probe, dir.resolve("probe.png"));
        Directories.deleteRecursively(generated.root().resolve("test"));
        Directories.deleteRecursively(generated.root().resolve("ground_truth"));

        TrainingRecipe recipe = new TrainingRecipe("tiny", 30, 4, 0, 3L, 3, true, null, "pixel", 300, 3, null);
        StringWriter log = new StringWriter();
        try (GladModel model = CategoryTrainer.trainAndCalibrate(generated.root(), recipe, new PrintWriter(log))) {
            Calibration calibration = model.metadata().calibration();
            assertThat(calibration).isNotNull();
            assertThat(calibration.threshold()).isPositive();
            assertThat(calibration.maxStep()).isEqualTo(300);
            assertThat(calibration.inferenceSteps()).isEqualTo(3);
            assertThat(calibration.featureExtractor()).startsWith("pixel");
            assertThat(model.metadata().version()).startsWith("wood-");
            assertThat(model.metadata().atp()).isTrue();
            assertThat(log.toString()).contains("training on wood").contains("train [").contains("30/30")
                    .contains("calibrated in");

            try (DetectorSession session = DetectorSession.open(model)) {
                assertThat(session.detector().settings().threshold()).isEqualTo(calibration.threshold());
                assertThat(session.detector().settings().maxStep()).isEqualTo(300);
                List<Detection> d = session.detector().detect(List.of(ImageLoader.load(probeCopy, 3)), List.of(1L));
                assertThat(d.get(0).threshold()).isEqualTo(calibration.threshold());
                assertThat(d.get(0).map().height()).isEqualTo(64);
            }
            try (GladModel uncalibrated = model.withMetadata(model.metadata().withCalibration(null))) {
                assertThatThrownBy(() -> DetectorSession.open(uncalibrated))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("has no calibration")
                        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
            }
        }
    }

    @Test
    void wideCameraImagesKeepTheirAspectFromTrainingToTheMap() throws Exception {
        MvtecCategory square = SyntheticCategoryGenerator.write(dir.resolve("rail"),
                new SyntheticCategoryOptions("rail", SyntheticCategoryOptions.Kind.TEXTURE, 8, 1, 1, 64, 6));
        Directories.deleteRecursively(square.root().resolve("test"));
        Directories.deleteRecursively(square.root().resolve("ground_truth"));
        // Each 64x64 image becomes 160x64, as a line camera would give it.
        for (var sample : square.trainSamples()) {
            widen(sample.path());
        }
        for (var sample : square.heldOutSamples()) {
            widen(sample.path());
        }
        MvtecCategory wide = MvtecCategory.open(square.root());
        assertThat(wide.aspect()).isEqualTo(2.5);

        TrainingRecipe recipe = new TrainingRecipe("tiny", 10, 4, 0, 1L, 3, false, null, "pixel", 300, 2, null);
        StringWriter log = new StringWriter();
        try (GladModel model = CategoryTrainer.trainAndCalibrate(wide.root(), recipe, new PrintWriter(log))) {
            // tiny: 32 px short side, sides a multiple of 2.
            assertThat(model.config().inputSize()).isEqualTo(new ImageSize(32, 80));
            assertThat(log.toString()).contains("80x32 px");
            try (DetectorSession session = DetectorSession.open(model)) {
                Detection d = session.detector().detect(
                        List.of(ImageLoader.load(wide.heldOutSamples().get(0).path(), 3)), List.of(1L)).get(0);
                assertThat(d.reconstruction().width()).isEqualTo(80);
                assertThat(d.reconstruction().height()).isEqualTo(32);
                assertThat(d.map().width()).isEqualTo(160);
                assertThat(d.map().height()).isEqualTo(64);
            }
        }
    }

    @Test
    void aResolutionAboveThePresetsIsWhereTheModelTrainsAndDetects() throws Exception {
        MvtecCategory category = SyntheticCategoryGenerator.write(dir.resolve("tile"),
                new SyntheticCategoryOptions("tile", SyntheticCategoryOptions.Kind.TEXTURE, 8, 1, 1, 64, 4));
        int presetSide = UNetConfig.preset("tiny", 3).resolution();
        int side = 2 * presetSide;
        TrainingRecipe recipe = new TrainingRecipe("tiny", 10, 4, presetSide, 1L, 3, false, null, "pixel", 300, 2, null,
                side);
        try (GladModel model = CategoryTrainer.trainAndCalibrate(category.root(), recipe, new PrintWriter(new StringWriter()))) {
            assertThat(model.config().inputSize()).isEqualTo(new ImageSize(side, side));
            try (DetectorSession session = DetectorSession.open(model)) {
                Detection d = session.detector().detect(
                        List.of(ImageLoader.load(category.heldOutSamples().get(0).path(), 3)), List.of(1L)).get(0);
                assertThat(d.reconstruction().width()).isEqualTo(side);
            }
        }
        assertThatThrownBy(() -> new TrainingRecipe("tiny", 10, 4, 0, 1L, 3, false, null, "pixel", 300, 2, null, 33)
                .network()).hasMessageContaining("resolution 33");
    }

    private static void widen(Path file) throws Exception {
        FloatImage image = ImageLoader.load(file, 3);
        FloatImage wide = FloatImage.zeros(3, image.height(), image.width() * 5 / 2);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < wide.height(); y++) {
                for (int x = 0; x < wide.width(); x++) {
                    // Mirrored repeats keep the texture continuous across the seams.
                    int period = x / image.width();
                    int sx = x % image.width();
                    wide.set(c, y, x, image.get(c, y, period % 2 == 0 ? sx : image.width() - 1 - sx));
                }
            }
        }
        PngWriter.writeImage(wide, file);
    }

    @Test
    void learnedFeaturesAreTrainedWithTheModelStoredWithItAndServeItsSession() throws Exception {
        MvtecCategory generated = SyntheticCategoryGenerator.write(dir.resolve("tile"),
                new SyntheticCategoryOptions("tile", SyntheticCategoryOptions.Kind.TEXTURE, 8, 1, 1, 64, 5));
        TrainingRecipe recipe = new TrainingRecipe("tiny", 10, 4, 0, 1L, 3, true, null, "learned", 300, 2, null);
        StringWriter log = new StringWriter();
        Path stored = dir.resolve("model");
        try (GladModel model = CategoryTrainer.trainAndCalibrate(generated.root(), recipe, new PrintWriter(log))) {
            assertThat(model.featureNet()).isNotEmpty();
            assertThat(model.metadata().calibration().featureExtractor()).isEqualTo("learned?layers=0,1,2");
            assertThat(log.toString()).contains("estimate pairs").contains("feature network trained");
            ModelStore.save(model, stored);
        }
        try (GladModel loaded = ModelStore.load(stored); DetectorSession session = DetectorSession.open(loaded)) {
            Detection d = session.detector().detect(
                    List.of(ImageLoader.load(generated.testSamples().get(0).path(), 3)), List.of(1L)).get(0);
            assertThat(d.score()).isFinite().isPositive();
        }
    }

    @Test
    void autoMaxStepIsChosenOnValidationDataAndStoredWithItsMetrics() {
        MvtecCategory generated = SyntheticCategoryGenerator.write(dir.resolve("nut"),
                new SyntheticCategoryOptions("nut", SyntheticCategoryOptions.Kind.OBJECT, 8, 1, 1, 64, 4));
        TrainingRecipe recipe = new TrainingRecipe("tiny", 10, 4, 0, 1L, 3, false, null, "pixel",
                TrainingRecipe.AUTO_MAX_STEP, 2, null);
        StringWriter log = new StringWriter();
        try (GladModel model = CategoryTrainer.trainAndCalibrate(generated.root(), recipe, new PrintWriter(log))) {
            int chosen = model.metadata().calibration().maxStep();
            assertThat(TrainingRecipe.MAX_STEP_CANDIDATES).contains(chosen);
            assertThat(log.toString()).contains("validation T=100:").contains("validation T=750:")
                    .contains("chose T=" + chosen);
            assertThat(model.metadata().metrics()).containsKeys("validation_image_auroc", "validation_pixel_auroc",
                    "validation_pro");
            assertThat(model.metadata().metrics().get("validation_image_auroc")).isBetween(0.0, 1.0);
        }
    }
}
