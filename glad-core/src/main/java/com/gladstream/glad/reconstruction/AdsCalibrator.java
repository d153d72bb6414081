package com.gladstream.glad.reconstruction;

import ai.djl.ndarray.NDArray;
import com.gladstream.glad.reconstruction.ReconstructionResult.StepScore;
import com.gladstream.glad.scoring.Quantiles;
import java.util.List;

/**
 * Chooses ADS's δ and t_min from held-out NORMAL images only (DESIGN A.5: no test image, no
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
 *       trajectory). <b>δ</b> = (1 + margin) · the largest, over compared steps, of the
 *       {@code quantile}-quantile of s_t across the images: a held-out normal image exceeds it at a
 *       given step with probability about 1 − quantile.
 * </ol>
 *
 * @param quantile per-step quantile of normal step scores that δ must clear
 * @param margin relative margin on δ
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
     * @param reconstructor the ADS configuration to calibrate (its δ and t_min are ignored)
     * @param normals N×C×H×W held-out normal images in model space
     * @return the reconstructor's settings with the calibrated δ and t_min
     */
    public AdsSettings calibrate(AdaptiveReconstructor reconstructor, NDArray normals, long[] seeds, int batchSize) {
        AdsSettings settings = reconstructor.settings();
        int minStep = minStep(traces(reconstructor.withSettings(settings.observing(0)), normals, seeds, batchSize));
        double delta = delta(traces(reconstructor.withSettings(settings.observing(minStep)), normals, seeds, batchSize));
        return settings.withThresholds(delta, minStep);
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

    /** δ from step-score traces recorded with t_min in force (step 2 above). */
    public double delta(List<List<StepScore>> traces) {
        double highest = 0;
        for (double q : perStep(traces, quantile)) {
            highest = Math.max(highest, q);
        }
        return (1 + margin) * highest;
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
