package com.gladstream.glad.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.gladstream.glad.diffusion.unet.UNetConfig;
import com.gladstream.glad.model.GladModel;
import com.gladstream.glad.synthesis.AnomalySynthesizer;
import com.gladstream.glad.synthesis.SynthesisConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiffusionTrainerTest {

    private static final UNetConfig TINY = UNetConfig.preset("tiny", 1);

    @TempDir
    Path temp;

    private static TrainingConfig.Builder tinyRun(int steps) {
        return TrainingConfig.builder().steps(steps).batchSize(8).learningRate(2e-3).warmupSteps(10)
                .emaDecay(0.99).seed(5).showProgress(false);
    }

    @Test
    void lossFallsOnTinyData() {
        List<Double> losses = new ArrayList<>();
        try (GladModel model = new DiffusionTrainer(tinyRun(60).build())
                .addListener(p -> losses.add(p.loss()))
                .train(TinyImages.data(8, 1, 32), "tiny", TINY)) {
            assertThat(model.metadata().trainingSteps()).isEqualTo(60);
            assertThat(model.metadata().atp()).isFalse();
        }
        double start = mean(losses.subList(0, 10));
        double end = mean(losses.subList(50, 60));
        System.out.printf("tiny loss: first 10 steps %.4f, last 10 steps %.4f (ratio %.2f)%n", start, end, end / start);
        assertThat(end).isLessThan(0.5 * start);
    }

    @Test
    void theSameSeedGivesTheSameLossCurveAndAnotherSeedDoesNot() {
        TrainingData data = TinyImages.data(4, 1, 32);
        List<Double> first = losses(tinyRun(8).build(), data);
        List<Double> second = losses(tinyRun(8).build(), data);
        List<Double> otherSeed = losses(tinyRun(8).seed(6).build(), data);
        assertThat(second).containsExactlyElementsOf(first);
        assertThat(otherSeed).isNotEqualTo(first);
    }

    @Test
    void resumingFromACheckpointGivesTheUninterruptedResult() {
        TrainingData data = TinyImages.data(4, 1, 32);
        List<Double> uninterrupted = new ArrayList<>();
        List<Double> resumed = new ArrayList<>();
        Path dirA = temp.resolve("a");
        Path dirB = temp.resolve("b");
        try (GladModel whole = new DiffusionTrainer(tinyRun(12).checkpoints(dirA, 4).build())
                .addListener(p -> uninterrupted.add(p.loss())).train(data, "tiny", TINY)) {
            new DiffusionTrainer(tinyRun(8).checkpoints(dirB, 4).build())
                    .addListener(p -> resumed.add(p.loss())).train(data, "tiny", TINY).close();
            List<Long> resumedSteps = new ArrayList<>();
            try (GladModel continued = new DiffusionTrainer(tinyRun(12).checkpoints(dirB, 4).build())
                    .addListener(p -> { resumed.add(p.loss()); resumedSteps.add(p.step()); })
                    .train(data, "tiny", TINY)) {
                assertThat(resumedSteps.get(0)).isEqualTo(9);
                assertThat(resumed).hasSize(12);
                for (int i = 0; i < 12; i++) {
                    assertThat(resumed.get(i)).as("loss at step %d", i + 1).isCloseTo(uninterrupted.get(i), within(1e-5));
                }
                assertSameWeights(continued.weights(), whole.weights(), 1e-5);
            }
        }
        try (Stream<Path> kept = list(dirB)) {
            assertThat(kept.map(p -> p.getFileName().toString())).containsExactly("step-00000008", "step-00000012");
        }
    }

    @Test
    void aDivergingRunStopsWithTheStepAndKeepsTheLastGoodCheckpoint() throws IOException {
        Path dir = temp.resolve("ckpt");
        List<String> digestsAtWrite = new ArrayList<>();
        DiffusionTrainer exploding = new DiffusionTrainer(tinyRun(50).learningRate(1e10).warmupSteps(0)
                .gradientClipNorm(0).checkpoints(dir, 1).build())
                .addListener(new TrainingListener() {
                    @Override
                    public void onStep(TrainingProgress progress) {}

                    @Override
                    public void onCheckpoint(long step, Path checkpoint) {
                        digestsAtWrite.add(checkpoint + " " + digest(checkpoint));
                    }
                });
        TrainingDivergedException error = org.junit.jupiter.api.Assertions.assertThrows(TrainingDivergedException.class,
                () -> exploding.train(TinyImages.data(4, 1, 32), "tiny", TINY));
        Path last = error.lastGoodCheckpoint();
        assertThat(last).isNotNull();
        assertThat(error.getMessage()).matches("(loss|gradient norm|weight \\S+) became (NaN|infinite) at step "
                + error.step() + "; last good checkpoint kept at " + java.util.regex.Pattern.quote(last.toString()));
        assertThat(digestsAtWrite).isNotEmpty().last().isEqualTo(last + " " + digest(last));
        assertThat(Checkpoints.readState(last).step()).isLessThan(error.step());
    }

    @Test
    void atpFineTuningStartsFromTheGivenModelAndRecordsItsLineage() {
        TrainingData data = TinyImages.data(4, 3, 32);
        UNetConfig rgb = UNetConfig.preset("tiny", 3);
        try (GladModel base = new DiffusionTrainer(tinyRun(5).build()).train(data, "tiny", rgb);
             GladModel published = base.withMetadata(base.metadata().withVersion("v1"));
             GladModel tuned = new DiffusionTrainer(tinyRun(5).atpProbability(0.5).build(),
                     new AnomalySynthesizer(SynthesisConfig.defaults())).fineTune(published, data)) {
            assertThat(tuned.metadata().atp()).isTrue();
            assertThat(tuned.metadata().trainingSteps()).isEqualTo(10);
            assertThat(tuned.metadata().parentVersion()).isEqualTo("v1");
            assertThat(tuned.metadata().trainSeconds()).isGreaterThan(published.metadata().trainSeconds());
            // Fine-tuning starts from the base weights: five small steps move them only a little.
            float[] before = published.weights().get("02input_conv_weight").toFloatArray();
            float[] after = tuned.weights().get("02input_conv_weight").toFloatArray();
            assertThat(after).isNotEqualTo(before);
            for (int i = 0; i < before.length; i++) {
                assertThat(after[i]).isCloseTo(before[i], within(0.05f));
            }
        }
    }

    @Test
    void inconsistentInputsAreRejectedBeforeTraining() {
        TrainingData rgb = TinyImages.data(2, 3, 32);
        assertThatThrownBy(() -> new DiffusionTrainer(tinyRun(1).build()).train(rgb, "tiny", TINY))
                .hasMessageContaining("3-channel images, the network expects 1");
        assertThatThrownBy(() -> new DiffusionTrainer(tinyRun(1).cropSize(31).build())
                .train(TinyImages.data(2, 1, 32), "tiny", TINY)).hasMessageContaining("multiple of 2");
        assertThatThrownBy(() -> new DiffusionTrainer(tinyRun(1).atpProbability(0.5).build()))
                .hasMessageContaining("anomaly synthesizer");
    }

    @Test
    void theTrainedModelPredictsNoiseOnWholeImagesLargerThanTheCrops() {
        try (GladModel model = new DiffusionTrainer(tinyRun(3).cropSize(16).build())
                .train(TinyImages.data(2, 1, 32), "tiny", TINY);
             NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.randomNormal(new Shape(2, 1, 32, 32));
            assertThat(model.predictNoise(x, new int[] {10, 700}).getShape()).isEqualTo(x.getShape());
        }
    }

    private static List<Double> losses(TrainingConfig config, TrainingData data) {
        List<Double> losses = new ArrayList<>();
        new DiffusionTrainer(config).addListener(p -> losses.add(p.loss())).train(data, "tiny", TINY).close();
        return losses;
    }

    private static void assertSameWeights(Map<String, NDArray> actual, Map<String, NDArray> expected, double tolerance) {
        assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
        for (String name : expected.keySet()) {
            float[] a = actual.get(name).toFloatArray();
            float[] e = expected.get(name).toFloatArray();
            for (int i = 0; i < a.length; i++) {
                assertThat((double) a[i]).as(name).isCloseTo(e[i], within(tolerance));
            }
        }
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    private static Stream<Path> list(Path dir) {
        try {
            return Files.list(dir).filter(p -> !p.getFileName().toString().startsWith(".")).sorted();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String digest(Path checkpoint) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(Files.readAllBytes(checkpoint.resolve(Checkpoints.ARRAYS_FILE)));
            sha.update(Files.readAllBytes(checkpoint.resolve(Checkpoints.STATE_FILE)));
            return HexFormat.of().formatHex(sha.digest());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
