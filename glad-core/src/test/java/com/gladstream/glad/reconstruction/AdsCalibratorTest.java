package com.gladstream.glad.reconstruction;

import static com.gladstream.glad.reconstruction.OracleNoisePredictor.NORMAL;
import static com.gladstream.glad.reconstruction.OracleNoisePredictor.SCHEDULE;
import static com.gladstream.glad.reconstruction.OracleNoisePredictor.SIZE;
import static com.gladstream.glad.reconstruction.OracleNoisePredictor.withSquare;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.gladstream.glad.features.PixelPatchFeatures;
import com.gladstream.glad.reconstruction.ReconstructionResult.StepScore;
import com.gladstream.glad.scoring.AnomalyScorer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AdsCalibratorTest {

    private static final int[] TIMESTEPS = {600, 550, 500, 450, 400, 350, 300, 250, 200, 150, 100, 50};

    @Test
    void minStepIsWhereTheMedianProfileSettles() {
        double[] profile = {0, .1, .2, .3, .4, .5, .5, .5, .51, .5, .5, .5};
        // Three images around the profile: the median is the profile itself.
        List<List<StepScore>> traces = List.of(trace(profile, -0.05), trace(profile, 0), trace(profile, 0.2));
        // Range 0.51, tolerance 10%: values within 0.051 of the final 0.5 count as settled.
        assertThat(new AdsCalibrator(0.99, 0, 0.1).minStep(traces)).isEqualTo(350);
        // A tighter tolerance waits until after the 0.51 blip.
        assertThat(new AdsCalibrator(0.99, 0, 0.01).minStep(traces)).isEqualTo(150);
        double[] flat = new double[TIMESTEPS.length];
        assertThat(AdsCalibrator.DEFAULT.minStep(List.of(trace(flat, 0.1)))).isEqualTo(600);
    }

    @Test
    void deltaClearsTheHighestPerStepQuantileOfTheGivenTraces() {
        double[] low = {0, .1, .2, .2, .2, .2, .2, .2, .2, .2, .2, .2};
        double[] high = {0, .3, .9, .4, .4, .4, .4, .4, .4, .4, .4, .4};
        List<List<StepScore>> traces = List.of(trace(low, 0), trace(high, 0));
        assertThat(new AdsCalibrator(1.0, 0, 0.1).delta(traces)).isEqualTo(0.9);
        assertThat(new AdsCalibrator(0.5, 0.1, 0.1).delta(traces)).isCloseTo(1.1 * 0.55, within(1e-12));
        assertThatThrownBy(() -> AdsCalibrator.DEFAULT.delta(List.of(trace(low, 0), trace(high, 0).subList(0, 5))))
                .hasMessageContaining("different steps");
    }

    @Test
    void calibratedOnNormalImagesNoneOfThemTriggersWhileALargeAnomalyDoes() {
        AnomalyScorer scorer = new AnomalyScorer(new PixelPatchFeatures(4), new AnomalyScorer.Settings(1.0, 4.0, 0.2));
        AdaptiveReconstructor ads = new AdaptiveReconstructor(new OracleNoisePredictor(), SCHEDULE, 600, 12, scorer,
                AdsSettings.of(0.0, 0));
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            // Normal variation the model does not know about: x_n plus a little per-image noise.
            Random random = new Random(21);
            int count = 6;
            float[] normals = new float[count * SIZE * SIZE];
            for (int i = 0; i < normals.length; i++) {
                normals[i] = NORMAL[i % NORMAL.length] + (float) (0.03 * random.nextGaussian());
            }
            NDArray normalImages = manager.create(normals, new Shape(count, 1, SIZE, SIZE));
            long[] seeds = {1, 2, 3, 4, 5, 6};
            AdsSettings calibrated = new AdsCalibrator(1.0, 0.0, 0.1).calibrate(ads, normalImages, seeds, 3);
            AdaptiveReconstructor tuned = ads.withSettings(calibrated);

            assertThat(calibrated.delta()).isPositive();
            assertThat(tuned.reconstruct(normalImages, seeds, 3)).allSatisfy(r -> assertThat(r.adaptiveStep()).isNull());
            NDArray anomalous = manager.create(withSquare(12), new Shape(1, 1, SIZE, SIZE));
            assertThat(tuned.reconstruct(anomalous, new long[] {1}, 1).get(0).adaptiveStep()).isNotNull();
        }
    }

    private static List<StepScore> trace(double[] profile, double offset) {
        List<StepScore> trace = new ArrayList<>();
        for (int k = 0; k < profile.length; k++) {
            trace.add(new StepScore(TIMESTEPS[k], profile[k] + offset));
        }
        return trace;
    }
}
