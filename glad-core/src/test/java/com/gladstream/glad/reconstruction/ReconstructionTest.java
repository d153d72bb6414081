package com.gladstream.glad.reconstruction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static com.gladstream.glad.reconstruction.OracleNoisePredictor.NORMAL;
import static com.gladstream.glad.reconstruction.OracleNoisePredictor.SCHEDULE;
import static com.gladstream.glad.reconstruction.OracleNoisePredictor.SIZE;
import static com.gladstream.glad.reconstruction.OracleNoisePredictor.withSquare;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import com.gladstream.glad.NDManagerExtension;
import com.gladstream.glad.features.PixelPatchFeatures;
import com.gladstream.glad.image.FloatImage;
import com.gladstream.glad.reconstruction.ReconstructionResult.StepScore;
import com.gladstream.glad.scoring.AnomalyScorer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ReconstructionTest {

    static final StepThresholds NEVER = StepThresholds.uniform(Double.POSITIVE_INFINITY);

    @RegisterExtension
    final NDManagerExtension manager = NDManagerExtension.pytorch();
    OracleNoisePredictor oracle = new OracleNoisePredictor();
    AnomalyScorer scorer = new AnomalyScorer(new PixelPatchFeatures(4), new AnomalyScorer.Settings(1.0, 4.0, 0.2));

    @Test
    void fixedStepReturnsACleanImageAndRemovesAnAnomaly() {
        FixedStepReconstructor fixed = new FixedStepReconstructor(oracle, SCHEDULE, 500, 10);
        List<ReconstructionResult> results = fixed.reconstruct(images(NORMAL, withSquare(8)), new long[] {1, 2}, 2);
        for (ReconstructionResult result : results) {
            assertClose(result.reconstruction(), NORMAL, 1e-4f);
            assertThat(result.adaptiveStep()).isNull();
            assertThat(result.unetEvaluations()).isEqualTo(fixed.timesteps().length);
            assertThat(result.featureExtractions()).isZero();
        }
        assertThat(fixed.timesteps()[0]).isEqualTo(500);
    }

    @Test
    void aLargeAnomalyTriggersAtAHigherStepThanASmallOne() {
        AdaptiveReconstructor ads = new AdaptiveReconstructor(oracle, SCHEDULE, 600, 12, scorer, AdsSettings.of(0.08, 0));
        List<ReconstructionResult> results =
                ads.reconstruct(images(NORMAL, withSquare(3), withSquare(12)), new long[] {7, 7, 7}, 3);
        ReconstructionResult clean = results.get(0);
        ReconstructionResult small = results.get(1);
        ReconstructionResult large = results.get(2);
        assertThat(clean.adaptiveStep()).isNull();
        assertThat(small.adaptiveStep()).isNotNull();
        assertThat(large.adaptiveStep()).isNotNull().isGreaterThan(small.adaptiveStep());
        // The two estimates coincide at the first step (x̂_T = x_T), and comparisons stop at the trigger.
        assertThat(large.stepScores().get(0).score()).isLessThan(1e-4);
        assertThat(last(large.stepScores()).timestep()).isEqualTo(large.adaptiveStep());
        assertThat(last(large.stepScores()).score()).isGreaterThan(0.08);
        assertThat(large.featureExtractions()).isEqualTo(2 * large.stepScores().size());
        assertThat(clean.stepScores()).hasSize(ads.timesteps().length);
        // After the trigger the oracle's plain DDIM lands on the normal image.
        assertClose(large.reconstruction(), NORMAL, 1e-4f);
    }

    @Test
    void eachStepIsComparedWithItsOwnThreshold() {
        AdaptiveReconstructor never = new AdaptiveReconstructor(oracle, SCHEDULE, 600, 12, scorer, AdsSettings.of(NEVER, 0));
        NDArray input = images(withSquare(12));
        List<StepScore> scores = never.reconstruct(input, new long[] {7}, 1).get(0).stepScores();
        // Thresholds just above the untriggered image's own s_t at every step but one, just below it there.
        int target = 8;
        Map<Integer, Double> deltas = new HashMap<>();
        for (int k = 0; k < scores.size(); k++) {
            deltas.put(scores.get(k).timestep(), scores.get(k).score() + (k == target ? -1e-3 : 1e-3));
        }
        ReconstructionResult result = never.withSettings(AdsSettings.of(StepThresholds.perStep(deltas), 0))
                .reconstruct(input, new long[] {7}, 1).get(0);
        assertThat(result.adaptiveStep()).isEqualTo(scores.get(target).timestep());
        // Even a threshold every score exceeds does not trigger at the first step, where the estimates coincide.
        ReconstructionResult atOnce = never.withSettings(AdsSettings.of(-1.0, 0)).reconstruct(input, new long[] {7}, 1).get(0);
        assertThat(atOnce.adaptiveStep()).isEqualTo(scores.get(1).timestep());
        // A step without a threshold is refused when the reconstructor is built, not in the middle of a run.
        deltas.remove(scores.get(4).timestep());
        assertThatThrownBy(() -> never.withSettings(AdsSettings.of(StepThresholds.perStep(deltas), 0)))
                .hasMessageContaining("do not cover the compared steps [" + scores.get(4).timestep() + "]");
    }

    @Test
    void saffBlendsTheTwoEstimatesBySigmoidOfTheMap() {
        int steps = 12;
        AdsSettings settings = new AdsSettings(StepThresholds.uniform(0.08), 0, steps - 1, 2.0, -1.0, false, false, 0, false);
        AdaptiveReconstructor ads = new AdaptiveReconstructor(oracle, SCHEDULE, 600, steps, scorer, settings);
        int lastStep = ads.timesteps()[steps - 1];
        NDArray input = images(withSquare(12));
        // Compared at the first step (never triggers) and the last, where it triggers: x0 is the fused one.
        ReconstructionResult fused = ads.reconstruct(input, new long[] {3}, 1).get(0);
        assertThat(fused.adaptiveStep()).isEqualTo(lastStep);
        // The same trajectory with t_min just above the last step gives the input-anchored estimate there.
        ReconstructionResult anchored = ads.withSettings(settings.withThresholds(NEVER, lastStep + 1))
                .reconstruct(input, new long[] {3}, 1).get(0);
        float[] a = toModelSpace(anchored.reconstruction());
        float[] map = scorer.maps(images(a), images(NORMAL)).get(0).values();
        float[] expected = new float[a.length];
        for (int p = 0; p < a.length; p++) {
            double m = 1 / (1 + Math.exp(-(2.0 * map[p] - 1.0)));
            expected[p] = (float) (a[p] + m * (NORMAL[p] - a[p]));
        }
        assertClose(fused.reconstruction(), expected, 1e-4f);
    }

    @Test
    void belowMinStepAnUntriggeredImageKeepsTheInputsDetail() {
        float[] input = withSquare(3);
        AdaptiveReconstructor never = new AdaptiveReconstructor(
                oracle, SCHEDULE, 600, 12, scorer, AdsSettings.of(Double.POSITIVE_INFINITY, 0));
        FloatImage normalOnly = never.reconstruct(images(input), new long[] {5}, 1).get(0).reconstruction();
        FloatImage keptDetail = never.withSettings(AdsSettings.of(Double.POSITIVE_INFINITY, 350))
                .reconstruct(images(input), new long[] {5}, 1).get(0).reconstruction();
        assertClose(normalOnly, NORMAL, 1e-4f);
        assertThat(distance(keptDetail, input)).isLessThan(distance(normalOnly, input));
    }

    @Test
    void comparingEveryKthStepSkipsTheOthers() {
        AdaptiveReconstructor ads = new AdaptiveReconstructor(oracle, SCHEDULE, 600, 12, scorer,
                new AdsSettings(NEVER, 0, 4, 1.0, 0.0, false, false, 0, false));
        ReconstructionResult result = ads.reconstruct(images(withSquare(6)), new long[] {9}, 1).get(0);
        int[] t = ads.timesteps();
        assertThat(result.stepScores()).extracting(StepScore::timestep).containsExactly(t[0], t[4], t[8]);
        assertThat(result.featureExtractions()).isEqualTo(6);
        assertThat(result.unetEvaluations()).isEqualTo(12);
        // With a second pass, only compared steps pay for it.
        ReconstructionResult twoPass = ads.withSettings(new AdsSettings(NEVER, 0, 4, 1.0, 0.0, true, false, 0, false))
                .reconstruct(images(withSquare(6)), new long[] {9}, 1).get(0);
        assertThat(twoPass.unetEvaluations()).isEqualTo(12 + 3);
    }

    @Test
    void secondPassCostsOneMoreNetworkCallPerUntriggeredStep() {
        AdaptiveReconstructor ads = new AdaptiveReconstructor(oracle, SCHEDULE, 600, 12, scorer,
                new AdsSettings(NEVER, 0, 1, 1.0, 0.0, true, false, 0, false));
        ReconstructionResult result = ads.reconstruct(images(withSquare(6)), new long[] {9}, 1).get(0);
        assertThat(result.unetEvaluations()).isEqualTo(24);
        // The oracle explains x_t as well as x̂_t, so with its own pass the anchored estimate is normal too.
        assertThat(result.stepScores()).allSatisfy(s -> assertThat(s.score()).isLessThan(1e-4));
    }

    @Test
    void earlyExitStopsAnUntriggeredImageBelowMinStepWithItsInputAnchoredEstimate() {
        int minStep = 350;
        AdsSettings settings = AdsSettings.of(NEVER, minStep).withCost(1, true, 0, false);
        AdaptiveReconstructor ads = new AdaptiveReconstructor(oracle, SCHEDULE, 600, 12, scorer, settings);
        int[] t = ads.timesteps();
        int exitIndex = 1;
        while (t[exitIndex] >= minStep) {
            exitIndex++;
        }
        float[] input = withSquare(3);
        ReconstructionResult full = ads.withSettings(AdsSettings.of(NEVER, minStep)).reconstruct(images(input),
                new long[] {5}, 1).get(0);
        ReconstructionResult exited;
        try (ReconstructionBatch batch = ads.newBatch(manager.get())) {
            batch.add(images(input).get(0), 5);
            for (int k = 0; k < exitIndex; k++) {
                assertThat(batch.step()).as("step %d", k).isEmpty();
            }
            Map<Integer, ReconstructionResult> finished = batch.step();
            assertThat(finished).containsOnlyKeys(0);
            assertThat(batch.size()).isZero();
            exited = finished.get(0);
        }
        assertThat(exited.adaptiveStep()).isNull();
        assertThat(exited.unetEvaluations()).isEqualTo(exitIndex + 1).isLessThan(full.unetEvaluations());
        assertThat(exited.featureExtractions()).isEqualTo(2 * (exitIndex + 1));
        assertThat(exited.stepScores()).extracting(StepScore::timestep)
                .containsExactlyElementsOf(full.stepScores().stream().map(StepScore::timestep).limit(exitIndex + 1).toList());
        // The oracle's ε̂ is ε + c_T·(x − x_n) at every step down to t_min, so the input-anchored estimate at
        // the exit step t is x − r·(x − x_n), r = √((1−ᾱ_t)·ᾱ_T / (ᾱ_t·(1−ᾱ_T))).
        double alphaT = SCHEDULE.alphaBar(t[0]);
        double alphaExit = SCHEDULE.alphaBar(t[exitIndex]);
        double r = Math.sqrt((1 - alphaExit) * alphaT / (alphaExit * (1 - alphaT)));
        float[] expected = new float[input.length];
        for (int p = 0; p < input.length; p++) {
            expected[p] = (float) (input[p] - r * (input[p] - NORMAL[p]));
        }
        assertClose(exited.reconstruction(), expected, 1e-4f);
    }

    @Test
    void earlyExitLeavesATriggeredImageAsItWas() {
        AdsSettings plain = AdsSettings.of(0.08, 350);
        AdaptiveReconstructor ads = new AdaptiveReconstructor(oracle, SCHEDULE, 600, 12, scorer, plain);
        AdaptiveReconstructor exiting = ads.withSettings(plain.withCost(1, true, 0, false));
        NDArray inputs = images(withSquare(12), NORMAL);
        List<ReconstructionResult> before = ads.reconstruct(inputs, new long[] {7, 8}, 2);
        List<ReconstructionResult> after = exiting.reconstruct(inputs, new long[] {7, 8}, 2);
        // The large anomaly triggers above t_min: the same trigger, reconstruction and cost.
        assertThat(before.get(0).adaptiveStep()).isNotNull().isGreaterThan(350);
        assertThat(after.get(0).adaptiveStep()).isEqualTo(before.get(0).adaptiveStep());
        assertThat(after.get(0).unetEvaluations()).isEqualTo(ads.timesteps().length);
        assertThat(after.get(0).featureExtractions()).isEqualTo(before.get(0).featureExtractions());
        assertClose(after.get(0).reconstruction(), toModelSpace(before.get(0).reconstruction()), 1e-5f);
        // Its untriggered companion left the batch early.
        assertThat(after.get(1).adaptiveStep()).isNull();
        assertThat(after.get(1).unetEvaluations()).isLessThan(before.get(1).unetEvaluations());
    }

    @Test
    void aProbeStopsUntriggeredImagesAtItsFirstComparedStepFromThePthOn() {
        AdaptiveReconstructor ads = new AdaptiveReconstructor(oracle, SCHEDULE, 600, 12, scorer,
                AdsSettings.of(NEVER, 0).withCost(1, true, 3, false));
        ReconstructionResult probed = ads.reconstruct(images(withSquare(6)), new long[] {9}, 1).get(0);
        assertThat(probed.unetEvaluations()).isEqualTo(3);
        assertThat(probed.featureExtractions()).isEqualTo(6);
        // Comparing every 2nd step, the probe of 2 steps ends at the next compared step, the third.
        ReconstructionResult sparse = ads.withSettings(AdsSettings.of(NEVER, 0).withCost(2, true, 2, false))
                .reconstruct(images(withSquare(6)), new long[] {9}, 1).get(0);
        assertThat(sparse.stepScores()).extracting(StepScore::timestep)
                .containsExactly(ads.timesteps()[0], ads.timesteps()[2]);
        assertThat(sparse.unetEvaluations()).isEqualTo(3);
        assertThat(sparse.featureExtractions()).isEqualTo(4);
        assertThatThrownBy(() -> AdsSettings.of(NEVER, 0).withCost(1, false, 3, false))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSpreadProbeJumpsBetweenItsStepsAndATriggeredImageContinuesOnTheFullSchedule() {
        AdsSettings probe = AdsSettings.of(NEVER, 0).withCost(1, false, 3, true);
        AdaptiveReconstructor ads = new AdaptiveReconstructor(oracle, SCHEDULE, 600, 12, scorer, probe);
        int[] t = ads.timesteps();
        int[] visited = AdaptiveReconstructor.spread(3, t.length);
        assertThat(visited).containsExactly(0, 6, 11);
        NDArray input = images(withSquare(12));
        ReconstructionResult untriggered = ads.reconstruct(input, new long[] {7}, 1).get(0);
        assertThat(untriggered.stepScores()).extracting(StepScore::timestep).containsExactly(t[0], t[6], t[11]);
        assertThat(untriggered.unetEvaluations()).isEqualTo(3);
        assertThat(untriggered.featureExtractions()).isEqualTo(6);
        // DDIM jumps between the probe's steps: the oracle's estimate still lands on the normal image.
        assertClose(ads.reconstruct(images(NORMAL), new long[] {7}, 1).get(0).reconstruction(), NORMAL, 1e-4f);
        // A threshold just below the anomaly's score at the middle probe step: it triggers there and
        // then takes every remaining step of the full schedule, comparing no more.
        Map<Integer, Double> deltas = new HashMap<>();
        untriggered.stepScores().forEach(s -> deltas.put(s.timestep(), s.score() + 1e-3));
        deltas.put(t[6], untriggered.stepScores().get(1).score() - 1e-3);
        ReconstructionResult triggered = ads.withSettings(probe.withThresholds(StepThresholds.perStep(deltas), 0))
                .reconstruct(input, new long[] {7}, 1).get(0);
        assertThat(triggered.adaptiveStep()).isEqualTo(t[6]);
        assertThat(triggered.unetEvaluations()).isEqualTo(2 + (t.length - 1 - 6));
        assertThat(triggered.featureExtractions()).isEqualTo(4);
        assertClose(triggered.reconstruction(), NORMAL, 1e-4f);
    }

    @Test
    void imagesAdmittedAtDifferentStepsMatchEachRunAlone() {
        AdaptiveReconstructor ads = new AdaptiveReconstructor(oracle, SCHEDULE, 600, 12, scorer, AdsSettings.of(0.08, 350));
        float[][] inputs = {withSquare(12), NORMAL, withSquare(3), withSquare(6)};
        long[] seeds = {11, 12, 13, 14};
        ReconstructionResult[] alone = new ReconstructionResult[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            alone[i] = ads.reconstruct(images(inputs[i]), new long[] {seeds[i]}, 1).get(0);
        }
        ReconstructionResult[] together = new ReconstructionResult[inputs.length];
        try (ReconstructionBatch batch = ads.newBatch(manager.get())) {
            int admitted = 0;
            for (int step = 0; admitted < inputs.length || batch.size() > 0; step++) {
                // A new image joins every third step, so the batch mixes timesteps and trigger states.
                if (admitted < inputs.length && step % 3 == 0) {
                    assertThat(batch.add(images(inputs[admitted]).get(0), seeds[admitted])).isEqualTo(admitted);
                    admitted++;
                }
                batch.step().forEach((ticket, result) -> together[ticket] = result);
            }
        }
        List<ReconstructionResult> twoAtATime = ads.reconstruct(images(inputs), seeds, 2);
        for (int i = 0; i < inputs.length; i++) {
            for (ReconstructionResult other : List.of(together[i], twoAtATime.get(i))) {
                assertClose(other.reconstruction(), toModelSpace(alone[i].reconstruction()), 1e-5f);
                assertThat(other.adaptiveStep()).isEqualTo(alone[i].adaptiveStep());
                assertThat(other.unetEvaluations()).isEqualTo(alone[i].unetEvaluations());
                assertThat(other.featureExtractions()).isEqualTo(alone[i].featureExtractions());
                assertThat(other.stepScores()).hasSameSizeAs(alone[i].stepScores());
                for (int k = 0; k < other.stepScores().size(); k++) {
                    assertThat(other.stepScores().get(k).score())
                            .isCloseTo(alone[i].stepScores().get(k).score(), within(1e-5));
                }
            }
        }
        assertThat(alone[0].adaptiveStep()).isNotNull();
        assertThat(alone[1].adaptiveStep()).isNull();
    }

    @Test
    void seedsComeFromImageIdentifiers() {
        assertThat(NoiseSeeds.of("camera-3/event-17")).isEqualTo(NoiseSeeds.of("camera-3/event-17"));
        assertThat(NoiseSeeds.of("camera-3/event-17")).isNotEqualTo(NoiseSeeds.of("camera-3/event-18"));
        assertThat(NoiseSeeds.gaussian(4, 100)).containsExactly(NoiseSeeds.gaussian(4, 100));
    }

    NDArray images(float[]... modelSpace) {
        float[] all = new float[modelSpace.length * SIZE * SIZE];
        for (int i = 0; i < modelSpace.length; i++) {
            System.arraycopy(modelSpace[i], 0, all, i * SIZE * SIZE, SIZE * SIZE);
        }
        return manager.get().create(all, new Shape(modelSpace.length, 1, SIZE, SIZE));
    }

    static float[] toModelSpace(FloatImage image) {
        float[] v = new float[image.data().length];
        for (int i = 0; i < v.length; i++) {
            v[i] = image.data()[i] * 2f - 1f;
        }
        return v;
    }

    static void assertClose(FloatImage image, float[] modelSpace, float tolerance) {
        float[] actual = toModelSpace(image);
        assertThat(actual).hasSameSizeAs(modelSpace);
        for (int i = 0; i < actual.length; i++) {
            assertThat(actual[i]).as("pixel %d", i).isCloseTo(modelSpace[i], within(tolerance));
        }
    }

    static double distance(FloatImage image, float[] modelSpace) {
        float[] actual = toModelSpace(image);
        double sum = 0;
        for (int i = 0; i < actual.length; i++) {
            sum += Math.abs(actual[i] - modelSpace[i]);
        }
        return sum;
    }

    static <T> T last(List<T> list) {
        return list.get(list.size() - 1);
    }
}
