package com.gladstream.glad.reconstruction;

import ai.djl.ndarray.NDArray;
import com.gladstream.glad.reconstruction.ReconstructionResult.StepScore;
import com.gladstream.glad.scoring.Quantiles;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Chooses ADS's thresholds δ_t and t_min from held-out NORMAL images only (docs/DESIGN.md A.5: no test image, no
 * anomaly label). Two reconstruction passes over the normal images, both with triggers off:
 *
 * <ol>
 *   <li>With x0 = x̂_{t→0} at every step, record each image's s_t. <b>t_min</b> is the highest
 *       compared step from which the median s_t stays within {@code settledTolerance} of its final
 *       value (relative to the median's range over all steps) at every lower step. Below it the
 *       normal trajectory has settled: s_t no longer tells anything the model's own error on normal
 *       detail does not, so an image that got there untriggered is normal and should keep the
 *       input's detail. A flat profile settles at the first step.
 *   <li>With that t_min in force, record s_t again, for {@code noiseDraws} noise draws per image
 *       (a new image brings new noise as well as new content, and s_t varies with both), and set
 *       δ_t by the {@link Rule}. The threshold is per step because the scale of s_t changes with
 *       t: at high t the normal estimate is blurry and even normal images score high, so a single δ
 *       over all steps would be set by the noisiest step and an anomaly, whose s_t stands out only
 *       against the normal scores of its own step, would never reach it. Steps not compared (see
 *       {@link AdsSettings#compareEvery}) get no threshold.
 * </ol>
 *
 * @param rule how δ_t follows from the normal step scores
 * @param quantile quantile of the normal scores that δ_t must clear (its meaning depends on the rule)
 * @param margin relative margin on δ_t
 * @param settledTolerance how close to its final value the median profile must stay
 * @param noiseDraws noise draws per held-out image in the second pass; the first is the image's own seed
 */
public record AdsCalibrator(Rule rule, double quantile, double margin, double settledTolerance, int noiseDraws) {

    /** How δ_t follows from the step scores of the normal images. */
    public enum Rule {
        /**
         * δ_t = (1 + margin) · the quantile of s_t across the normal traces at step t. A normal image
         * exceeds it at one step with probability about 1 − quantile, but it has every compared step
         * to do so: with a few traces the quantile is their maximum, and new normal images trigger often.
         */
        PER_STEP,
        /**
         * δ_t = c · (median s_t of the normal traces), one c for all steps: c = (1 + margin) · the
         * quantile, across the normal traces, of each trace's largest ratio s_t / median s_t over the
         * steps that can trigger. The quantile then bounds how often a normal IMAGE triggers at any
         * step, and the shape of δ_t comes from the median, which a few traces estimate far better
         * than their maximum.
         */
        PROFILE,
        /**
         * δ_t = (1 + margin) · exp(m_t + z·σ): m_t is the mean log s_t across the normal traces at
         * step t, σ the spread of a new trace's log s_t around m_t, estimated from every trace's
         * residuals pooled over all steps that can trigger, and z the standard normal quantile at 1 − (1 − quantile)/K for K such steps. A
         * normal image then triggers at any step with probability at most 1 − quantile if log s_t
         * is normal around the profile (Bonferroni over the steps, so correlated steps only make it
         * stricter). σ comes from traces × steps residuals rather than from the few largest scores,
         * which is what a handful of held-out images can estimate.
         */
        POOLED
    }

    /**
     * Chosen with {@code glad eval --ads-rules} on the held-out images of both evaluation sets (best
     * mean Youden's J; docs/RESULTS.md): the 10 % margin used before let 12 of 16 left-out normal
     * traces of hazelnut_toy trigger, 25 % let 2.
     */
    public static final AdsCalibrator DEFAULT = new AdsCalibrator(Rule.PER_STEP, 0.99, 0.25, 0.1, 1);

    public AdsCalibrator {
        if (rule == null || !(quantile >= 0 && quantile <= 1) || (rule == Rule.POOLED && !(quantile > 0 && quantile < 1)) || !(margin >= 0)
                || !(settledTolerance >= 0 && settledTolerance < 1) || noiseDraws < 1) {
            throw new IllegalArgumentException("invalid ADS calibration rule: " + rule + ", " + quantile + ", " + margin
                    + ", " + settledTolerance + ", " + noiseDraws);
        }
    }

    /** The per-step rule with one noise draw per image. */
    public AdsCalibrator(double quantile, double margin, double settledTolerance) {
        this(Rule.PER_STEP, quantile, margin, settledTolerance, 1);
    }

    /** A short description for reports, e.g. {@code profile q=0.99 +10% x4 draws}. */
    public String describe() {
        return String.format(java.util.Locale.ROOT, "%s q=%.2f +%.0f%% x%d draws",
                rule.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'), quantile, 100 * margin, noiseDraws);
    }

    /**
     * Calibrated settings and what the second pass already computed.
     *
     * @param settings the reconstructor's settings with the calibrated δ_t and t_min
     * @param ownSeedRuns per held-out image, in order, its run with its own seed in the second pass, when an
     *     image that does not trigger under {@code settings} makes exactly that run (one noise draw, and
     *     the calibrated settings differ from the observing ones only in δ_t); empty otherwise
     */
    public record Calibrated(AdsSettings settings, List<ReconstructionResult> ownSeedRuns) {}

    /**
     * @param reconstructor the ADS configuration to calibrate (its δ_t and t_min are ignored)
     * @param normals N×C×H×W held-out normal images in model space
     */
    public Calibrated calibrate(AdaptiveReconstructor reconstructor, NDArray normals, long[] seeds, int batchSize) {
        AdaptiveReconstructor observer = observer(reconstructor, normals, seeds, batchSize);
        NDArray drawn = normals.repeat(0, noiseDraws);
        List<ReconstructionResult> runs = observer.reconstruct(drawn, drawSeeds(seeds, noiseDraws), batchSize);
        drawn.close();
        StepThresholds deltas = deltas(runs.stream().map(ReconstructionResult::stepScores).toList());
        int minStep = observer.settings().minStep();
        AdsSettings calibrated = reconstructor.settings().withThresholds(deltas, minStep);
        boolean sameRuns = noiseDraws == 1 && calibrated.observing(minStep).equals(
                calibrated.withThresholds(observer.settings().deltas(), minStep));
        return new Calibrated(calibrated, sameRuns ? runs : List.of());
    }

    /**
     * Step 1 above: the reconstructor with triggers off and the t_min of {@code normals} in force,
     * ready to record the step scores δ_t is set from.
     */
    public AdaptiveReconstructor observer(AdaptiveReconstructor reconstructor, NDArray normals, long[] seeds,
            int batchSize) {
        AdsSettings settings = reconstructor.settings();
        int minStep = minStep(traces(reconstructor.withSettings(settings.observing(0)), normals, seeds, batchSize));
        return reconstructor.withSettings(settings.observing(minStep));
    }

    /** Each image's step scores s_t under {@code observer} (triggers off). */
    public static List<List<StepScore>> traces(AdaptiveReconstructor observer, NDArray images, long[] seeds,
            int batchSize) {
        return observer.reconstruct(images, seeds, batchSize).stream().map(ReconstructionResult::stepScores).toList();
    }

    /** Draw {@code k} of an image with seed {@code seed}: draw 0 is the seed itself. */
    public static long drawSeed(long seed, int k) {
        return seed + k * 0x9E3779B97F4A7C15L;
    }

    /**
     * {@code draws} seeds per image, image by image: its own seed first, then seeds derived from it
     * (the layout of {@code images.repeat(0, draws)}).
     */
    public static long[] drawSeeds(long[] seeds, int draws) {
        long[] out = new long[seeds.length * draws];
        for (int i = 0; i < seeds.length; i++) {
            for (int k = 0; k < draws; k++) {
                out[i * draws + k] = drawSeed(seeds[i], k);
            }
        }
        return out;
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
        double[] perStep = switch (rule) {
            case PER_STEP -> perStep(traces, quantile);
            case PROFILE -> profile(traces);
            case POOLED -> pooled(traces);
        };
        Map<Integer, Double> deltas = new HashMap<>();
        for (int k = 0; k < perStep.length; k++) {
            deltas.put(traces.get(0).get(k).timestep(), (1 + margin) * perStep[k]);
        }
        return StepThresholds.perStep(deltas);
    }

    /** The median profile scaled by the quantile of the traces' largest ratios to it (see {@link Rule#PROFILE}). */
    private double[] profile(List<List<StepScore>> traces) {
        double[] median = perStep(traces, 0.5);
        double[] largestRatio = new double[traces.size()];
        for (int i = 0; i < traces.size(); i++) {
            // From the second step on: the first cannot trigger (see AdaptiveReconstructor).
            for (int k = 1; k < median.length; k++) {
                double ratio = traces.get(i).get(k).score() / Math.max(median[k], Double.MIN_NORMAL);
                largestRatio[i] = Math.max(largestRatio[i], ratio);
            }
        }
        double scale = Quantiles.of(largestRatio, quantile);
        double[] out = new double[median.length];
        for (int k = 0; k < median.length; k++) {
            out[k] = scale * median[k];
        }
        return out;
    }

    /** The log-normal bound of {@link Rule#POOLED} at each step. */
    private double[] pooled(List<List<StepScore>> traces) {
        int n = traces.size();
        int steps = traces.get(0).size();
        double[] center = new double[steps];
        double[][] logs = new double[n][steps];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < steps; k++) {
                logs[i][k] = Math.log(Math.max(traces.get(i).get(k).score(), Double.MIN_NORMAL));
                center[k] += logs[i][k] / n;
            }
        }
        // From the second step on: the first cannot trigger (see AdaptiveReconstructor).
        int triggerable = Math.max(1, steps - 1);
        double squares = 0;
        for (double[] trace : logs) {
            for (int k = steps - triggerable; k < steps; k++) {
                squares += (trace[k] - center[k]) * (trace[k] - center[k]);
            }
        }
        // Each step's mean takes one degree of freedom; a new image deviates from the estimated mean,
        // whose own error adds σ²/n.
        double sigma = Math.sqrt(squares / (triggerable * Math.max(1, n - 1)) * (1 + 1.0 / n));
        double z = Quantiles.standardNormal(1 - (1 - quantile) / triggerable);
        double[] out = new double[steps];
        for (int k = 0; k < steps; k++) {
            out[k] = Math.exp(center[k] + z * sigma);
        }
        return out;
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
