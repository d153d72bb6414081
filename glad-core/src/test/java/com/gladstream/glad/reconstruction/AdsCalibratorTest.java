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
import java.util.Arrays;
import java.util.Collections;
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
    void eachStepGetsTheQuantileOfItsOwnScores() {
        double[] low = {0, .1, .2, .2, .2, .2, .2, .2, .2, .2, .2, .2};
        double[] high = {0, .3, .9, .4, .4, .4, .4, .4, .4, .4, .4, .4};
        List<List<StepScore>> traces = List.of(trace(low, 0), trace(high, 0));
        StepThresholds highest = new AdsCalibrator(1.0, 0, 0.1).deltas(traces);
        StepThresholds median = new AdsCalibrator(0.5, 0.1, 0.1).deltas(traces);
        for (int k = 0; k < TIMESTEPS.length; k++) {
            assertThat(highest.at(TIMESTEPS[k])).isEqualTo(high[k]);
            assertThat(median.at(TIMESTEPS[k])).isCloseTo(1.1 * (low[k] + high[k]) / 2, within(1e-12));
        }
        assertThat(highest.byStep().keySet()).containsExactly(Arrays.stream(TIMESTEPS).boxed().toArray(Integer[]::new));
        assertThatThrownBy(() -> AdsCalibrator.DEFAULT.deltas(List.of(trace(low, 0), trace(high, 0).subList(0, 5))))
                .hasMessageContaining("different steps");
    }

    @Test
    void theProfileRuleScalesTheMedianProfileByTheLargestNormalRatio() {
        double[] low = {0, .1, .2, .2, .2, .2, .2, .2, .2, .2, .2, .2};
        double[] mid = {0, .2, .3, .3, .3, .3, .3, .3, .3, .3, .3, .3};
        double[] spiky = {0, .3, .3, .3, .3, .3, .3, .3, .3, .9, .3, .3};
        List<List<StepScore>> traces = List.of(trace(low, 0), trace(mid, 0), trace(spiky, 0));
        StepThresholds deltas = new AdsCalibrator(AdsCalibrator.Rule.PROFILE, 1.0, 0.1, 0.1, 1).deltas(traces);
        // The median is the middle trace; the largest ratio to it is the spike's 0.9 / 0.3 = 3.
        for (int k = 0; k < TIMESTEPS.length; k++) {
            assertThat(deltas.at(TIMESTEPS[k])).isCloseTo(1.1 * 3 * mid[k], within(1e-12));
        }
        // Every trace that set the rule stays below it at every step that can trigger.
        assertThat(traces).allSatisfy(trace -> assertThat(deltas.firstTrigger(trace)).isEqualTo(-1));
        // The per-step rule copies the spike into δ_t at its step only: a normal trace spiking at
        // another step would trigger there.
        StepThresholds perStep = new AdsCalibrator(1.0, 0.1, 0.1).deltas(traces);
        double[] spikeElsewhere = spiky.clone();
        spikeElsewhere[9] = .3;
        spikeElsewhere[4] = .9;
        assertThat(perStep.firstTrigger(trace(spikeElsewhere, 0))).isEqualTo(TIMESTEPS[4]);
        assertThat(deltas.firstTrigger(trace(spikeElsewhere, 0))).isEqualTo(-1);
    }

    @Test
    void thePooledRuleHoldsItsFalseTriggerBoundWithFiveNormalImages() {
        // Normal traces: log s_t = log of a decreasing profile + N(0, 0.2²), independently per step.
        Random rng = new Random(11);
        double[] profile = decreasing(1);
        profile[0] = 0.6;
        AdsCalibrator pooled = new AdsCalibrator(AdsCalibrator.Rule.POOLED, 0.95, 0, 0.1, 1);
        AdsCalibrator largest = new AdsCalibrator(1.0, 0, 0.1);
        int fresh = 400;
        int pooledFalse = 0;
        int largestFalse = 0;
        int calibrations = 50;
        for (int c = 0; c < calibrations; c++) {
            List<List<StepScore>> five = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                five.add(logNormalTrace(profile, 0.2, rng));
            }
            StepThresholds pooledDeltas = pooled.deltas(five);
            StepThresholds largestDeltas = largest.deltas(five);
            for (int i = 0; i < fresh; i++) {
                List<StepScore> trace = logNormalTrace(profile, 0.2, rng);
                pooledFalse += pooledDeltas.firstTrigger(trace) >= 0 ? 1 : 0;
                largestFalse += largestDeltas.firstTrigger(trace) >= 0 ? 1 : 0;
            }
        }
        double pooledRate = (double) pooledFalse / (calibrations * fresh);
        double largestRate = (double) largestFalse / (calibrations * fresh);
        // Bound 1 − 0.95; σ from 5 × 11 residuals is a little low, so allow some slack.
        assertThat(pooledRate).as("pooled false-trigger rate").isLessThan(0.09);
        // The largest of five scores per step is exceeded at one of 11 steps by most new normal images.
        assertThat(largestRate).as("per-step maximum false-trigger rate").isGreaterThan(0.5);
        // An image whose s_t is three times the normal level from the middle of the schedule on triggers.
        double[] anomalous = profile.clone();
        for (int k = 6; k < anomalous.length; k++) {
            anomalous[k] *= 3;
        }
        List<List<StepScore>> five = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            five.add(logNormalTrace(profile, 0.2, rng));
        }
        assertThat(pooled.deltas(five).firstTrigger(trace(anomalous, 0))).isEqualTo(TIMESTEPS[6]);
    }

    private static List<StepScore> logNormalTrace(double[] profile, double sigma, Random rng) {
        double[] scores = new double[profile.length];
        for (int k = 0; k < profile.length; k++) {
            scores[k] = profile[k] * Math.exp(sigma * rng.nextGaussian());
        }
        return trace(scores, 0);
    }

    @Test
    void drawSeedsGiveEachImageItsOwnSeedFirstThenFreshOnes() {
        long[] seeds = AdsCalibrator.drawSeeds(new long[] {7, 9}, 3);
        assertThat(seeds).hasSize(6);
        assertThat(seeds[0]).isEqualTo(7);
        assertThat(seeds[3]).isEqualTo(9);
        assertThat(Arrays.stream(seeds).distinct().count()).isEqualTo(6);
    }

    @Test
    void anAnomalyBelowTheNoisiestStepsNormalScoresTriggersAgainstItsOwnStep() {
        // Normal s_t, and its spread, are large at high t, where x̂_{t→0} is blurry, and small at low t.
        List<List<StepScore>> normals = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            normals.add(trace(decreasing(1 + 0.025 * (i % 5)), 0));
        }
        StepThresholds deltas = AdsCalibrator.DEFAULT.deltas(normals);
        // The anomaly lifts s_t by a fixed amount: it stands out against the normal scores at low t only.
        List<StepScore> anomaly = trace(decreasing(1), 0.06);
        int trigger = deltas.firstTrigger(anomaly);
        assertThat(trigger).as("trigger step, in the lower half of the schedule").isPositive()
                .isLessThanOrEqualTo(TIMESTEPS[0] / 2);
        // One δ for every step, set by the noisiest step (the rule before per-step thresholds), is never exceeded.
        double noisiestStep = Collections.max(deltas.byStep().values());
        assertThat(StepThresholds.uniform(noisiestStep).firstTrigger(anomaly)).isEqualTo(-1);
        // No normal image exceeds its own step's threshold.
        assertThat(normals).allSatisfy(trace -> assertThat(deltas.firstTrigger(trace)).isEqualTo(-1));
    }

    @Test
    void moreNoiseDrawsPerImageOnlyAddTracesToTheOnesOfOneDraw() {
        AdaptiveReconstructor ads = oracleAds(6);
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            NDArray images = normalVariations(manager, 3, 5);
            long[] seeds = {11, 12, 13};
            StepThresholds one = new AdsCalibrator(AdsCalibrator.Rule.PER_STEP, 1.0, 0, 0.1, 1)
                    .calibrate(ads, images, seeds, 4).settings().deltas();
            StepThresholds three = new AdsCalibrator(AdsCalibrator.Rule.PER_STEP, 1.0, 0, 0.1, 3)
                    .calibrate(ads, images, seeds, 4).settings().deltas();
            // The maximum over a superset of traces: never lower, and higher somewhere (fresh noise).
            assertThat(three.byStep().keySet()).isEqualTo(one.byStep().keySet());
            one.byStep().forEach((t, delta) -> assertThat(three.at(t)).isGreaterThanOrEqualTo(delta - 1e-6));
            assertThat(three.byStep().entrySet()).anySatisfy(e -> assertThat(e.getValue()).isGreaterThan(one.at(e.getKey())));
        }
    }

    @Test
    void calibratedOnNormalImagesNoneOfThemTriggersWhileALargeAnomalyDoes() {
        AdaptiveReconstructor ads = oracleAds(12);
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            NDArray normalImages = normalVariations(manager, 6, 21);
            long[] seeds = {1, 2, 3, 4, 5, 6};
            AdsSettings calibrated = new AdsCalibrator(1.0, 0.0, 0.1).calibrate(ads, normalImages, seeds, 3).settings();
            AdaptiveReconstructor tuned = ads.withSettings(calibrated);

            assertThat(calibrated.deltas().byStep().keySet()).containsExactly(
                    Arrays.stream(ads.timesteps()).boxed().toArray(Integer[]::new));
            assertThat(tuned.reconstruct(normalImages, seeds, 3)).allSatisfy(r -> assertThat(r.adaptiveStep()).isNull());
            NDArray anomalous = manager.create(withSquare(12), new Shape(1, 1, SIZE, SIZE));
            assertThat(tuned.reconstruct(anomalous, new long[] {1}, 1).get(0).adaptiveStep()).isNotNull();
        }
    }

    @Test
    void theSecondPassRunsAreKeptOnlyWhereAnUntriggeredImageWouldRunTheSame() {
        AdaptiveReconstructor ads = oracleAds(8);
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            NDArray normalImages = normalVariations(manager, 4, 9);
            long[] seeds = {5, 6, 7, 8};
            AdsCalibrator.Calibrated calibrated = new AdsCalibrator(1.0, 0.25, 0.1).calibrate(ads, normalImages, seeds, 3);
            List<ReconstructionResult> again = ads.withSettings(calibrated.settings()).reconstruct(normalImages, seeds, 3);
            assertThat(calibrated.ownSeedRuns()).hasSize(4);
            for (int i = 0; i < 4; i++) {
                ReconstructionResult kept = calibrated.ownSeedRuns().get(i);
                assertThat(again.get(i).adaptiveStep()).isNull();
                assertThat(kept.stepScores()).isEqualTo(again.get(i).stepScores());
                assertThat(kept.reconstruction().data()).containsExactly(again.get(i).reconstruction().data());
            }
            // Other noise than the detector's, or runs the detector would cut short: nothing to reuse.
            assertThat(new AdsCalibrator(AdsCalibrator.Rule.PER_STEP, 1.0, 0.25, 0.1, 2)
                    .calibrate(ads, normalImages, seeds, 3).ownSeedRuns()).isEmpty();
            AdaptiveReconstructor exiting = ads.withSettings(ads.settings().withCost(1, true, 0, false));
            assertThat(new AdsCalibrator(1.0, 0.25, 0.1).calibrate(exiting, normalImages, seeds, 3).ownSeedRuns()).isEmpty();
        }
    }

    @Test
    void earlyExitAndASpreadProbeKeepTheirSettingsAndGetThresholdsForEveryStepTheyCompare() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            NDArray normalImages = normalVariations(manager, 4, 5);
            long[] seeds = {1, 2, 3, 4};
            AdaptiveReconstructor exiting = oracleAds(12).withSettings(AdsSettings.of(0.0, 0).withCost(1, true, 0, false));
            AdsSettings calibrated = new AdsCalibrator(1.0, 0.0, 0.1).calibrate(exiting, normalImages, seeds, 2).settings();
            assertThat(calibrated.earlyExit()).isTrue();
            // Traces are recorded without the exit, so every step has its δ_t whatever t_min turns out to be.
            assertThat(calibrated.deltas().byStep().keySet()).containsExactlyInAnyOrder(
                    Arrays.stream(exiting.timesteps()).boxed().toArray(Integer[]::new));

            AdaptiveReconstructor probing = oracleAds(12).withSettings(AdsSettings.of(0.0, 0).withCost(1, true, 3, true));
            AdsSettings probed = new AdsCalibrator(1.0, 0.0, 0.1).calibrate(probing, normalImages, seeds, 2).settings();
            int[] t = probing.timesteps();
            assertThat(probed.probeSpread()).isTrue();
            assertThat(probed.deltas().byStep().keySet()).containsExactlyInAnyOrder(t[0], t[6], t[11]);
            assertThat(probing.withSettings(probed).reconstruct(normalImages, seeds, 2))
                    .allSatisfy(r -> assertThat(r.unetEvaluations()).isLessThanOrEqualTo(3));
        }
    }

    /** ADS from T=600 in {@code steps} steps around the oracle model, pixel-patch features, triggers off. */
    private static AdaptiveReconstructor oracleAds(int steps) {
        AnomalyScorer scorer = new AnomalyScorer(new PixelPatchFeatures(4), new AnomalyScorer.Settings(1.0, 4.0, 0.2));
        return new AdaptiveReconstructor(new OracleNoisePredictor(), SCHEDULE, 600, steps, scorer, AdsSettings.of(0.0, 0));
    }

    /** Normal variation the model does not know about: x_n plus a little per-image noise. */
    private static NDArray normalVariations(NDManager manager, int count, long seed) {
        Random random = new Random(seed);
        float[] normals = new float[count * SIZE * SIZE];
        for (int i = 0; i < normals.length; i++) {
            normals[i] = NORMAL[i % NORMAL.length] + (float) (0.03 * random.nextGaussian());
        }
        return manager.create(normals, new Shape(count, 1, SIZE, SIZE));
    }

    /** s_t = scale · 0.5 · t/T: from 0.5·scale at the first step down to a twelfth of that. */
    private static double[] decreasing(double scale) {
        return Arrays.stream(TIMESTEPS).mapToDouble(t -> scale * 0.5 * t / TIMESTEPS[0]).toArray();
    }

    private static List<StepScore> trace(double[] profile, double offset) {
        List<StepScore> trace = new ArrayList<>();
        for (int k = 0; k < profile.length; k++) {
            trace.add(new StepScore(TIMESTEPS[k], profile[k] + offset));
        }
        return trace;
    }
}
