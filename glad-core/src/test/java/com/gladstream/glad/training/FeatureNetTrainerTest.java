package com.gladstream.glad.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import com.gladstream.glad.diffusion.unet.UNetConfig;
import com.gladstream.glad.features.ConvFeatureNet;
import com.gladstream.glad.features.FeatureExtractors;
import com.gladstream.glad.model.GladModel;
import com.gladstream.glad.synthesis.AnomalySynthesizer;
import com.gladstream.glad.synthesis.SynthesisConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import org.junit.jupiter.api.Test;

/**
 * The learned feature network is trained on the model's own estimate pairs and lowers its objective
 * over them. Whether it separates anomalies on images it never saw is measured on the shared
 * categories' validation sets (docs/RESULTS.md), not on a tiny model.
 */
class FeatureNetTrainerTest {

    private static final int MAX_STEP = 100;

    @Test
    void trainingLowersTheObjectiveOnTheModelsPairsBelowTheRandomStart() {
        TrainingData data = TinyImages.data(16, 3, 32);
        TrainingConfig config = TrainingConfig.builder().steps(40).batchSize(8).learningRate(2e-3).warmupSteps(5)
                .seed(1).showProgress(false).build();
        AnomalySynthesizer synthesizer = new AnomalySynthesizer(SynthesisConfig.defaults());
        FeatureNetTrainer.Settings settings = new FeatureNetTrainer.Settings(96, 300, 8, 32, 1e-2, 0.5, 3);
        StringWriter log = new StringWriter();
        try (GladModel model = new DiffusionTrainer(config).train(data, "tiny", UNetConfig.preset("tiny", 3));
                GladModel learned = new FeatureNetTrainer(settings, synthesizer).train(model, data.images(), MAX_STEP,
                        new PrintWriter(log));
                NDManager manager = NDManager.newBaseManager()) {
            assertThat(model.featureNet()).isEmpty();
            ConvFeatureNet.check(learned.featureNet());
            assertThat(log.toString()).contains("96 estimate pairs").contains("step 300/300");

            // The same seed makes the same pairs: the objective over all of them, before and after.
            FeatureNetTrainer again = new FeatureNetTrainer(settings, synthesizer);
            FeatureNetTrainer.Pairs pairs = again.makePairs(manager, model, data.images(), MAX_STEP);
            float start = again.loss(ConvFeatureNet.randomWeights(manager, settings.seed()), pairs.anchored(),
                    pairs.normal(), pairs.masks()).getFloat();
            float trained = again.loss(learned.featureNet(), pairs.anchored(), pairs.normal(), pairs.masks()).getFloat();
            assertThat(trained).isLessThan(0.95f * start);

            try (var features = FeatureExtractors.create("learned?layers=1,2", learned)) {
                assertThat(features.name()).isEqualTo("learned?layers=1,2");
            }
            assertThatThrownBy(() -> FeatureExtractors.create("learned", model))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("has no learned feature network");
            assertThatThrownBy(() -> new FeatureNetTrainer(settings, synthesizer)
                    .train(model, data.images(), 1000, new PrintWriter(Writer.nullWriter())))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("T=1000");
        }
    }
}
