package com.gladstream.glad.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.gladstream.glad.diffusion.schedule.ScheduleSpec;
import com.gladstream.glad.diffusion.unet.UNetConfig;
import com.gladstream.glad.image.FloatImage;
import com.gladstream.glad.image.ImageTensors;
import com.gladstream.glad.model.GladModel;
import com.gladstream.glad.reconstruction.FixedStepReconstructor;
import com.gladstream.glad.reconstruction.ReconstructionResult;
import com.gladstream.glad.synthesis.AnomalySynthesizer;
import com.gladstream.glad.synthesis.SynthesisConfig;
import com.gladstream.glad.synthesis.SyntheticAnomaly;
import com.gladstream.glad.synthesis.TextureSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * ATP's purpose, end to end on a tiny model: trained with the same data, steps and seed, the ATP
 * model reconstructs held-out images with synthetic anomalies closer to their normal originals
 * than the plain model does, without reconstructing normal images any worse.
 *
 * <p>The schedule is short (100 steps, β up to 0.01) so that at its top step the image is still
 * clearly visible through the noise (ᾱ ≈ 0.6): there a plain model keeps what it sees, and ATP's
 * blend x + (t/T)(x^a − x) is at full strength, the regime ATP trains for. Anomalies are flat
 * patches (dark or bright) with a Perlin outline: low-frequency content that survives the noise.
 */
class AtpReconstructionTest {

    private static final int SIZE = 32;
    private static final ScheduleSpec SHORT_SCHEDULE = new ScheduleSpec(ScheduleSpec.Kind.LINEAR, 100, 1e-4, 0.01);
    private static final SynthesisConfig FLAT_PATCHES = new SynthesisConfig(1, 3, 0.3f, 0.5f, 0.3f, 1f,
            SynthesisConfig.Foreground.ANYWHERE, 0.1f, 0.05f, 0.3f);

    @Test
    void anAtpModelReconstructsHeldOutAnomaliesCloserToTheNormalImageThanAPlainModel() {
        TrainingData data = new TrainingData("tiny", TinyImages.generate(20, 1, SIZE, 11), "sha256:test");
        List<FloatImage> heldOut = TinyImages.generate(8, 1, SIZE, 99);
        UNetConfig network = UNetConfig.preset("tiny", 1);
        TrainingConfig.Builder recipe = TrainingConfig.builder().steps(400).batchSize(8).learningRate(2e-3)
                .warmupSteps(10).emaDecay(0.99).seed(5).schedule(SHORT_SCHEDULE).showProgress(false);

        AnomalySynthesizer synthesizer = new AnomalySynthesizer(FLAT_PATCHES, flatPatches());
        Random rng = new Random(162);
        List<FloatImage> anomalous = new ArrayList<>();
        List<float[]> masks = new ArrayList<>();
        for (FloatImage normal : heldOut) {
            SyntheticAnomaly a = synthesizer.synthesize(normal, rng);
            anomalous.add(a.image());
            masks.add(a.mask());
        }
        try (GladModel plain = new DiffusionTrainer(recipe.build()).train(data, "tiny", network);
                GladModel atp = new DiffusionTrainer(recipe.atpProbability(0.5).build(), synthesizer)
                        .train(data, "tiny", network);
                NDManager manager = NDManager.newBaseManager()) {
            NDArray anomalousInput = ImageTensors.toModelSpace(manager, anomalous);
            NDArray normalInput = ImageTensors.toModelSpace(manager, heldOut);
            double untouched = meanError(anomalous, heldOut, masks, true);
            double[] plainErrors = errors(plain, anomalousInput, normalInput, heldOut, masks);
            double[] atpErrors = errors(atp, anomalousInput, normalInput, heldOut, masks);

            assertThat(plainErrors[0]).as("plain model's in-mask error, against leaving the anomaly as it is")
                    .isLessThan(untouched);
            assertThat(atpErrors[0]).as("ATP model's in-mask error, against the plain model's %.4f", plainErrors[0])
                    .isLessThan(0.8 * plainErrors[0]);
            assertThat(atpErrors[1]).as("ATP model's error on normal images, against the plain model's %.4f", plainErrors[1])
                    .isLessThan(1.1 * plainErrors[1]);
        }
    }

    /** Mean |reconstruction − normal| inside the anomaly masks, and over whole normal images, from the top step. */
    private static double[] errors(GladModel model, NDArray anomalousInput, NDArray normalInput,
            List<FloatImage> normals, List<float[]> masks) {
        FixedStepReconstructor reconstructor = new FixedStepReconstructor(model, model.schedule(),
                SHORT_SCHEDULE.trainSteps() - 1, 1);
        long[] seeds = new long[normals.size()];
        Arrays.setAll(seeds, i -> 1000 + i);
        return new double[] {
            meanError(reconstruct(reconstructor, anomalousInput, seeds), normals, masks, true),
            meanError(reconstruct(reconstructor, normalInput, seeds), normals, masks, false)
        };
    }

    private static List<FloatImage> reconstruct(FixedStepReconstructor reconstructor, NDArray input, long[] seeds) {
        return reconstructor.reconstruct(input, seeds, seeds.length).stream()
                .map(ReconstructionResult::reconstruction)
                .toList();
    }

    private static double meanError(List<FloatImage> images, List<FloatImage> normals, List<float[]> masks,
            boolean insideMask) {
        double total = 0;
        for (int i = 0; i < images.size(); i++) {
            float[] a = images.get(i).data();
            float[] b = normals.get(i).data();
            float[] mask = masks.get(i);
            double sum = 0;
            int count = 0;
            for (int p = 0; p < a.length; p++) {
                if (!insideMask || mask[p % mask.length] > 0) {
                    sum += Math.abs(a[p] - b[p]);
                    count++;
                }
            }
            total += sum / count;
        }
        return total / images.size();
    }

    /** Flat dark and bright sources: pasted through a Perlin mask, they make low-frequency patches. */
    private static TextureSource flatPatches() {
        List<FloatImage> sources = new ArrayList<>();
        for (float value : new float[] {0f, 0.1f, 0.9f, 1f}) {
            FloatImage source = FloatImage.zeros(1, SIZE, SIZE);
            Arrays.fill(source.data(), value);
            sources.add(source);
        }
        return new TextureSource(sources);
    }
}
