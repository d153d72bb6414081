package com.gladstream.glad.reconstruction;

import ai.djl.ndarray.NDArray;
import com.gladstream.glad.reconstruction.ReconstructionResult.StepScore;
import com.gladstream.glad.scoring.Quantiles;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Chooses ADS's thresholds δ_t and t_min from held-out NORMAL images only (DESIGN A.5: no test image, no
 * anomaly label). Two reconstruction passes over the normal images, both with triggers off:
 *
 * <ol>
 *   <li>With x0 = x̂_{t→0} at every step, record each image's s_t. <b>t_min</b> is the highest
 *       compared step from which the median s_t stays within {@code settledTolerance} of its final
 *       value (relative to the median's range over all steps) at every lower step. Below it the
 *       normal trajectory has settled: s_t no longer tells anything the model's own error on normal
 *       detail does not, so an image that got there untriggered is normal and should keep the
 *       input's detail. A flat profile settles at the first step.
 *   <li>With that t_min in force, record s_t again (below t_min the anchored estimate changes the
 *       trajectory). For every compared step t, <b>δ_t</b> = (1 + margin) · the
 *       {@code quantile}-quantile of s_t across the images: a held-out normal image exceeds it at
 *       that step with probability about 1 − quantile. The threshold is per step because the scale
 *       of s_t changes with t: at high t the normal estimate is blurry and even normal images score
 *       high, so a single δ over all steps would be set by the noisiest step and an anomaly, whose
 *       s_t stands out only against the normal scores of its own step, would never reach it.
 *       Steps not compared (see {@link AdsSettings#compareEvery}) get no threshold.
 * </ol>
 *
 * @param quantile per-step quantile of normal step scores that δ_t must clear
 * @param margin relative margin on δ_t
 * @param settledTolerance how close to its final value the median profile must stay
 */
public record AdsCalibrator(double quantile, double margin, double settledTolerance) {

    public static final AdsCalibrator DEFAULT = new AdsCalibrator(0.99, 0.1, 0.1);

    public AdsCalibrator {
        if (!(quantile >= 0 && quantile <= 1) || !(margin >= 0) || !(settledTolerance >= 0 && settledTolerance < 1)) {
            throw new IllegalArgumentException("invalid ADS calibration rule: " + quantile + ", " + margin + ", "
                    + settledTolerance);
        }
    }

    /**
     * @param reconstructor the ADS configuration to calibrate (its δ_t and t_min are ignored)
     * @param normals N×C×H×W held-out normal images in model space
     * @return the reconstructor's settings with the calibrated δ_t and t_min
     */
    public AdsSettings calibrate(AdaptiveReconstructor reconstructor, NDArray normals, long[] seeds, int batchSize) {
        AdsSettings settings = reconstructor.settings();
        int minStep = minStep(traces(reconstructor.withSettings(settings.observing(0)), normals, seeds, batchSize));
        StepThresholds deltas = deltas(traces(reconstructor.withSettings(settings.observing(minStep)), normals, seeds,
                batchSize));
        return settings.withThresholds(deltas, minStep);
    }

    /** t_min from step-score traces recorded with x0 = x̂_{t→0} throughout (step 1 above). */
    public int minStep(List<List<StepScore>> traces) {
        double[] median = perStep(traces, 0.5);
        int[] timesteps = traces.get(0).stream().mapToInt(StepScore::timestep).toArray();
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (double m : median) {
            min = Math.min(min, m);
            max = Math.max(max, m);
        }
        double settledWithin = settledTolerance * (max - min);
        double last = median[median.length - 1];
        int settledFrom = median.length - 1;
        while (settledFrom > 0 && Math.abs(median[settledFrom - 1] - last) <= settledWithin) {
            settledFrom--;
        }
        return timesteps[settledFrom];
    }

    /** δ_t of every step of the traces, from step-score traces recorded with t_min in force (step 2 above). */
    public StepThresholds deltas(List<List<StepScore>> traces) {
        double[] quantiles = perStep(traces, quantile);
        Map<Integer, Double> deltas = new HashMap<>();
        for (int k = 0; k < quantiles.length; k++) {
            deltas.put(traces.get(0).get(k).timestep(), (1 + margin) * quantiles[k]);
        }
        return StepThresholds.perStep(deltas);
    }

    private static List<List<StepScore>> traces(AdaptiveReconstructor observer, NDArray normals, long[] seeds,
            int batchSize) {
        return observer.reconstruct(normals, seeds, batchSize).stream().map(ReconstructionResult::stepScores).toList();
    }

    /** The q-quantile across images at each compared step; every trace must cover the same steps. */
    private static double[] perStep(List<List<StepScore>> traces, double q) {
        if (traces.isEmpty() || traces.get(0).isEmpty()) {
            throw new IllegalArgumentException("no step scores of held-out normal images to calibrate on");
        }
        List<StepScore> first = traces.get(0);
        double[] result = new double[first.size()];
        for (int k = 0; k < first.size(); k++) {
            double[] atStep = new double[traces.size()];
            for (int i = 0; i < traces.size(); i++) {
                List<StepScore> trace = traces.get(i);
                if (trace.size() != first.size() || trace.get(k).timestep() != first.get(k).timestep()) {
                    throw new IllegalArgumentException("step-score traces cover different steps; calibrate with triggers off");
                }
                atStep[i] = trace.get(k).score();
            }
            result[k] = Quantiles.of(atStep, q);
        }
        return result;
    }
}
