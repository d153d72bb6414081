package com.gladstream.glad.pipeline;

import static com.gladstream.glad.reconstruction.OracleNoisePredictor.NORMAL;
import static com.gladstream.glad.reconstruction.OracleNoisePredictor.SCHEDULE;
import static com.gladstream.glad.reconstruction.OracleNoisePredictor.SIZE;
import static com.gladstream.glad.reconstruction.OracleNoisePredictor.image;
import static com.gladstream.glad.reconstruction.OracleNoisePredictor.withSquare;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.gladstream.glad.features.FeatureExtractor;
import com.gladstream.glad.features.PixelPatchFeatures;
import com.gladstream.glad.image.FloatImage;
import com.gladstream.glad.image.ImageSize;
import com.gladstream.glad.model.Calibration;
import com.gladstream.glad.reconstruction.AdsCalibrator;
import com.gladstream.glad.reconstruction.AdsSettings;
import com.gladstream.glad.reconstruction.OracleNoisePredictor;
import com.gladstream.glad.scoring.AnomalyMap;
import com.gladstream.glad.scoring.AnomalyScorer;
import com.gladstream.glad.scoring.ThresholdRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AnomalyDetectorTest {

    private final DenoisingModel model = new DenoisingModel(new OracleNoisePredictor(), SCHEDULE, ImageSize.square(SIZE), 1);
    private final FeatureExtractor features = new PixelPatchFeatures(4);
    private final AnomalyScorer.Settings scoring = new AnomalyScorer.Settings(1.0, 4.0, 0.02);

    private DetectorSettings settings(ReconstructionMode mode, double delta, int batchSize, double threshold) {
        return new DetectorSettings(mode, 600, 12, AdsSettings.of(delta, 0), scoring, batchSize, threshold);
    }

    @Test
    void anAnomalyScoresHigherAndIsLocatedInTheMap() {
        AnomalyDetector detector = AnomalyDetector.create(model, features, settings(ReconstructionMode.FIXED, 0, 4, 0.1));
        List<Detection> detections = detector.detect(List.of(image(NORMAL), image(withSquare(8))), List.of(1L, 2L));
        Detection normal = detections.get(0);
        Detection anomalous = detections.get(1);
        assertThat(anomalous.score()).isGreaterThan(normal.score() + 0.1);
        assertThat(normal.anomalous()).isFalse();
        assertThat(anomalous.anomalous()).isTrue();
        int[] peak = argmax(anomalous.map());
        assertThat(peak[0]).isBetween(18, 25);
        assertThat(peak[1]).isBetween(18, 25);
        assertThat(anomalous.unetEvaluations()).isEqualTo(12);
        assertThat(anomalous.featureExtractions()).isEqualTo(2);
        assertThat(anomalous.adaptiveStep()).isNull();
        assertThat(anomalous.seconds()).isPositive();
        for (int i = 0; i < NORMAL.length; i++) {
            assertThat(anomalous.reconstruction().data()[i]).isCloseTo((NORMAL[i] + 1) / 2, within(1e-4f));
        }
    }

    @Test
    void mapsComeBackAtEachImagesOwnSizeAndChannels() {
        AnomalyDetector detector = AnomalyDetector.create(model, features, settings(ReconstructionMode.FIXED, 0, 2, 0.1));
        FloatImage wideRgb = FloatImage.zeros(3, 40, 48);
        List<Detection> detections = detector.detect(List.of(wideRgb, image(NORMAL)), List.of(1L, 2L));
        assertThat(detections.get(0).map().height()).isEqualTo(40);
        assertThat(detections.get(0).map().width()).isEqualTo(48);
        assertThat(detections.get(0).reconstruction().channels()).isEqualTo(1);
        assertThat(detections.get(1).map().height()).isEqualTo(SIZE);
    }

    @Test
    void microBatchesGiveTheSameDetectionsAsOneImageAtATime() {
        List<FloatImage> images = List.of(image(withSquare(12)), image(NORMAL), image(withSquare(3)));
        List<Long> seeds = List.of(5L, 6L, 7L);
        List<Detection> batched =
                AnomalyDetector.create(model, features, settings(ReconstructionMode.GLAD, 0.08, 3, 0.1)).detect(images, seeds);
        List<Detection> single =
                AnomalyDetector.create(model, features, settings(ReconstructionMode.GLAD, 0.08, 1, 0.1)).detect(images, seeds);
        assertThat(batched.get(0).adaptiveStep()).isNotNull();
        assertThat(batched.get(1).adaptiveStep()).isNull();
        for (int i = 0; i < images.size(); i++) {
            assertThat(batched.get(i).score()).isCloseTo(single.get(i).score(), within(1e-5));
            assertThat(batched.get(i).adaptiveStep()).isEqualTo(single.get(i).adaptiveStep());
            assertThat(batched.get(i).featureExtractions()).isEqualTo(single.get(i).featureExtractions());
        }
    }

    @Test
    void anImageJoiningARunningBatchMidFlightIsDetectedAsItIsAlone() {
        List<FloatImage> images = List.of(image(withSquare(12)), image(NORMAL), image(withSquare(3)), image(withSquare(7)));
        List<Long> seeds = List.of(11L, 12L, 13L, 14L);
        AnomalyDetector detector = AnomalyDetector.create(model, features, settings(ReconstructionMode.GLAD, 0.08, 1, 0.1));
        Detection[] continuous = new Detection[images.size()];
        int[] joinedAtStep = new int[images.size()];
        int[] companionsAtJoin = new int[images.size()];
        try (ContinuousDetection running = detector.continuous()) {
            int admitted = 0;
            for (int step = 0; admitted < images.size() || running.size() > 0; step++) {
                // One image joins every fifth step: each later one joins companions part-way through their steps.
                if (admitted < images.size() && step % 5 == 0) {
                    companionsAtJoin[admitted] = running.size();
                    joinedAtStep[admitted] = step;
                    assertThat(running.admit(images.get(admitted), seeds.get(admitted))).isEqualTo(admitted);
                    admitted++;
                }
                running.step().forEach((ticket, detection) -> continuous[ticket] = detection);
            }
        }
        assertThat(companionsAtJoin).as("images that joined a batch already running").containsSequence(1, 2);
        for (int i = 0; i < images.size(); i++) {
            Detection alone = detector.detect(List.of(images.get(i)), List.of(seeds.get(i))).get(0);
            Detection joined = continuous[i];
            assertThat(joined).as("image %d, joined at step %d", i, joinedAtStep[i]).isNotNull();
            assertThat(joined.score()).isCloseTo(alone.score(), within(1e-5));
            assertThat(joined.anomalous()).isEqualTo(alone.anomalous());
            assertThat(joined.adaptiveStep()).isEqualTo(alone.adaptiveStep());
            assertThat(joined.unetEvaluations()).isEqualTo(alone.unetEvaluations());
            assertThat(joined.featureExtractions()).isEqualTo(alone.featureExtractions());
            assertThat(joined.seconds()).isPositive();
            for (int p = 0; p < alone.map().values().length; p++) {
                assertThat(joined.map().values()[p]).isCloseTo(alone.map().values()[p], within(1e-4f));
            }
        }
        assertThat(continuous[0].adaptiveStep()).isNotNull();
        assertThat(continuous[1].adaptiveStep()).isNull();
    }

    @Test
    void calibrationUsesOnlyTheHeldOutNormalImages() {
        List<FloatImage> normals = normalVariations(5);
        List<Long> seeds = List.of(0L, 1L, 2L, 3L, 4L);
        DetectorSettings uncalibrated = settings(ReconstructionMode.GLAD, 0, 4, Double.NaN);
        Calibration calibration = new DetectorCalibrator(new AdsCalibrator(1.0, 0.0, 0.1), new ThresholdRule(1.0, 0.0))
                .calibrate(model, features, uncalibrated, normals, seeds);

        assertThat(calibration.featureExtractor()).isEqualTo(features.name());
        assertThat(calibration.maxStep()).isEqualTo(600);
        assertThat(calibration.inferenceSteps()).isEqualTo(12);
        assertThat(calibration.adsDeltaPerStep()).hasSize(12);
        AnomalyDetector calibrated = AnomalyDetector.create(model, features, uncalibrated.withCalibration(calibration));
        List<Detection> again = calibrated.detect(normals, seeds);
        // With quantile 1 and no margin the threshold is the highest held-out score: no normal image exceeds it.
        double highest = again.stream().mapToDouble(Detection::score).max().orElseThrow();
        assertThat(calibration.threshold()).isCloseTo(highest, within(1e-9));
        assertThat(again).noneMatch(Detection::anomalous).allMatch(d -> d.adaptiveStep() == null);
        Detection anomaly = calibrated.detect(List.of(image(withSquare(10))), List.of(0L)).get(0);
        assertThat(anomaly.anomalous()).isTrue();
        assertThat(anomaly.adaptiveStep()).isNotNull();
    }

    @Test
    void theThresholdIsSetOnTheScoresTheCalibratedDetectorGivesEvenWhereHeldOutImagesTrigger() {
        List<FloatImage> normals = normalVariations(7);
        List<Long> seeds = List.of(10L, 11L, 12L, 13L, 14L, 15L, 16L);
        DetectorSettings uncalibrated = settings(ReconstructionMode.GLAD, 0, 3, Double.NaN);
        // δ_t at the median of the normal traces: some held-out images trigger, and their batches are
        // reconstructed again; the others' runs come from the calibration pass.
        Calibration calibration = new DetectorCalibrator(new AdsCalibrator(0.5, 0.0, 0.1), new ThresholdRule(1.0, 0.0))
                .calibrate(model, features, uncalibrated, normals, seeds);
        List<Detection> again = AnomalyDetector.create(model, features, uncalibrated.withCalibration(calibration))
                .detect(normals, seeds);
        assertThat(again).anyMatch(d -> d.adaptiveStep() != null).anyMatch(d -> d.adaptiveStep() == null);
        double highest = again.stream().mapToDouble(Detection::score).max().orElseThrow();
        assertThat(calibration.threshold()).isCloseTo(highest, within(1e-9));
    }

    /** Held-out-like normal images: the oracle's normal image with a little pixel noise each. */
    private static List<FloatImage> normalVariations(int count) {
        List<FloatImage> normals = new ArrayList<>();
        Random random = new Random(8);
        for (int n = 0; n < count; n++) {
            float[] v = NORMAL.clone();
            for (int i = 0; i < v.length; i++) {
                v[i] += (float) (0.03 * random.nextGaussian());
            }
            normals.add(image(v));
        }
        return normals;
    }

    private static int[] argmax(AnomalyMap map) {
        int best = 0;
        for (int i = 1; i < map.values().length; i++) {
            if (map.values()[i] > map.values()[best]) {
                best = i;
            }
        }
        return new int[] {best / map.width(), best % map.width()};
    }
}
