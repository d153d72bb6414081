package com.gladstream.glad.reconstruction;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import com.gladstream.glad.diffusion.NoisePredictor;
import com.gladstream.glad.diffusion.schedule.NoiseSchedule;
import com.gladstream.glad.reconstruction.ReconstructionResult.StepScore;
import com.gladstream.glad.scoring.AnomalyMap;
import com.gladstream.glad.scoring.AnomalyScorer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * GLAD's reconstruction (docs/DESIGN.md A.1): Adaptive Denoising Steps with Spatial-Adaptive Feature
 * Fusion. Until an image triggers, every step compares the network's normal estimate x̂_{t→0} with
 * the input-anchored estimate x_{t→0} (the input noised with the same ε to the same t, cleaned
 * with the same ε̂):
 * <ul>
 *   <li>s_t = top-k mean of A_t > δ_t (the threshold of step t): triggered at t.
 *       x0 = m·x̂_{t→0} + (1−m)·x_{t→0} with m = sigmoid(scale·A_t + offset): where the two
 *       disagree, trust the normal estimate more.
 *   <li>else t < t_min: the image looks normal, x0 = x_{t→0} keeps the input's detail.
 *   <li>else x0 = x̂_{t→0}.
 * </ul>
 * The first step cannot trigger: the two estimates coincide there. After the trigger the image
 * follows plain DDIM with no more comparisons. With {@link AdsSettings#earlyExit} an untriggered
 * image stops at its first compared step below t_min (or at the end of the probe), its reconstruction
 * being x_{t→0} of that step, and leaves the batch.
 *
 * <p>A_t scores the positions of the input-anchored estimate against the normal estimate: the
 * nearest-neighbour distance is asymmetric, and the anomaly, if any, is on the input's side.
 */
public final class AdaptiveReconstructor extends Reconstructor {

    private final AnomalyScorer scorer;
    private final AdsSettings settings;
    /** With a spread probe, the step indices an untriggered image visits (ascending); null otherwise. */
    private final int[] probe;

    public AdaptiveReconstructor(NoisePredictor model, NoiseSchedule schedule, int maxStep, int inferenceSteps,
            AnomalyScorer scorer, AdsSettings settings) {
        super(model, schedule, maxStep, inferenceSteps);
        this.scorer = scorer;
        this.settings = settings;
        this.probe = settings.probeSpread() ? spread(settings.probeSteps(), stepCount()) : null;
        List<Integer> uncovered = new ArrayList<>();
        for (int k = 0; k < stepCount(); k++) {
            if (comparesAt(k) && !settings.deltas().covers(timestep(k))) {
                uncovered.add(timestep(k));
            }
        }
        if (!uncovered.isEmpty()) {
            throw new IllegalArgumentException("ADS thresholds " + settings.deltas().byStep().keySet()
                    + " do not cover the compared steps " + uncovered + " of T=" + maxStep + ", S=" + inferenceSteps
                    + "; calibrate for this schedule");
        }
    }

    public AdsSettings settings() {
        return settings;
    }

    /** The same reconstructor with other ADS settings (calibration runs it with triggers off). */
    public AdaptiveReconstructor withSettings(AdsSettings newSettings) {
        return new AdaptiveReconstructor(model(), schedule(), maxStep(), inferenceSteps(), scorer, newSettings);
    }

    @Override
    NDArray cleanEstimate(List<Trajectory> active, NDArray epsHat, NDArray normalEstimate, int[] t) {
        int n = active.size();
        NDList x0 = new NDList(n);
        // Untriggered images that compare this step or are below t_min need the input-anchored estimate.
        List<Integer> anchoredRows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            x0.add(normalEstimate.get(i));
            Trajectory trajectory = active.get(i);
            if (!trajectory.triggered() && (comparesAt(trajectory) || t[i] < settings.minStep())) {
                anchoredRows.add(i);
            }
        }
        if (anchoredRows.isEmpty()) {
            return normalEstimate;
        }
        NDArray anchored = anchoredEstimate(active, anchoredRows, epsHat, t);
        List<Integer> compared = new ArrayList<>();
        for (int j = 0; j < anchoredRows.size(); j++) {
            if (comparesAt(active.get(anchoredRows.get(j)))) {
                compared.add(j);
            }
        }
        List<AnomalyMap> maps = compared.isEmpty()
                ? List.of()
                : scorer.triggerMaps(rows(anchored, compared),
                        rows(normalEstimate, compared.stream().map(anchoredRows::get).toList()));
        for (int j = 0; j < anchoredRows.size(); j++) {
            int i = anchoredRows.get(j);
            Trajectory trajectory = active.get(i);
            NDArray anchoredRow = anchored.get(j);
            int c = compared.indexOf(j);
            if (c >= 0) {
                AnomalyMap map = maps.get(c);
                double score = scorer.score(map);
                trajectory.featureExtractions += 2;
                trajectory.stepScores.add(new StepScore(t[i], score));
                // Never at the first step: there x̂_T = x_T, so s_T is rounding noise, and a δ_T calibrated
                // on that noise would let images trigger at random.
                if (trajectory.stepIndex > 0 && score > settings.deltas().at(t[i])) {
                    trajectory.adaptiveStep = t[i];
                    x0.set(i, fuse(map, x0.get(i), anchoredRow));
                    continue;
                }
                if (exitsAt(trajectory.stepIndex, t[i])) {
                    x0.set(i, anchoredRow);
                    trajectory.exited = true;
                    continue;
                }
            }
            if (t[i] < settings.minStep()) {
                x0.set(i, anchoredRow);
            }
        }
        return NDArrays.stack(x0);
    }

    private boolean comparesAt(Trajectory trajectory) {
        return comparesAt(trajectory.stepIndex);
    }

    /** Whether an untriggered image compares the two estimates at step {@code k}. */
    private boolean comparesAt(int k) {
        return probe == null ? k % settings.compareEvery() == 0 : Arrays.binarySearch(probe, k) >= 0;
    }

    /**
     * Whether an untriggered image that compared at step {@code k} (timestep t) without triggering
     * stops there: below t_min, or at the end of the probe. Never at the first step, which cannot trigger.
     */
    private boolean exitsAt(int k, int t) {
        if (!settings.earlyExit() || k == 0 || !comparesAt(k)) {
            return false;
        }
        boolean probeEnds = probe == null ? settings.probeSteps() > 0 && k + 1 >= settings.probeSteps()
                : k == probe[probe.length - 1];
        return t < settings.minStep() || probeEnds;
    }

    /** An untriggered image jumps from probe step to probe step; a triggered one follows the full schedule. */
    @Override
    int nextStepIndex(Trajectory trajectory) {
        if (probe == null || trajectory.triggered()) {
            return super.nextStepIndex(trajectory);
        }
        int at = Arrays.binarySearch(probe, trajectory.stepIndex);
        return at + 1 < probe.length ? probe[at + 1] : stepCount();
    }

    /** {@code count} step indices spread evenly from 0 to {@code steps − 1}, both included. */
    static int[] spread(int count, int steps) {
        if (count > steps) {
            throw new IllegalArgumentException("a probe of " + count + " steps in a schedule of " + steps);
        }
        int[] indices = new int[count];
        for (int j = 0; j < count; j++) {
            indices[j] = (int) Math.round((double) j * (steps - 1) / (count - 1));
        }
        return indices;
    }

    /** x_{t→0} for the given rows: x_t = √ᾱ_t·x + √(1−ᾱ_t)·ε, cleaned with ε̂ (or its own pass). */
    private NDArray anchoredEstimate(List<Trajectory> active, List<Integer> open, NDArray epsHat, int[] t) {
        NDList inputs = new NDList(open.size());
        NDList noises = new NDList(open.size());
        int[] tOpen = new int[open.size()];
        for (int j = 0; j < open.size(); j++) {
            Trajectory trajectory = active.get(open.get(j));
            inputs.add(trajectory.input);
            noises.add(trajectory.noise);
            tOpen[j] = t[open.get(j)];
        }
        NDArray x = NDArrays.stack(inputs);
        x.attach(epsHat.getManager());
        NDArray eps = NDArrays.stack(noises);
        eps.attach(epsHat.getManager());
        NDArray xt = schedule().addNoise(x, eps, tOpen);
        NDArray anchoredEps;
        if (settings.secondPass()) {
            anchoredEps = model().predictNoise(xt, tOpen);
            open.forEach(i -> active.get(i).unetEvaluations++);
        } else {
            anchoredEps = rows(epsHat, open);
        }
        return schedule().predictOriginal(xt, anchoredEps, tOpen);
    }

    /** SAFF: x0 = x_{t→0} + m·(x̂_{t→0} − x_{t→0}), m = sigmoid(scale·A_t + offset) at model resolution. */
    private NDArray fuse(AnomalyMap map, NDArray normal, NDArray anchored) {
        Shape shape = normal.getShape();
        int height = (int) shape.get(1);
        int width = (int) shape.get(2);
        AnomalyMap resized = map.height() == height && map.width() == width ? map : map.resize(height, width);
        NDArray weight = normal.getManager()
                .create(resized.values(), new Shape(1, height, width))
                .mul((float) settings.saffScale())
                .add((float) settings.saffOffset());
        weight = Activation.sigmoid(weight);
        return anchored.add(weight.mul(normal.sub(anchored)));
    }

    private static NDArray rows(NDArray batch, List<Integer> indices) {
        if (indices.size() == batch.getShape().get(0) && isIdentity(indices)) {
            return batch;
        }
        NDList picked = new NDList(indices.size());
        indices.forEach(i -> picked.add(batch.get(i)));
        NDArray stacked = NDArrays.stack(picked);
        stacked.attach(batch.getManager());
        return stacked;
    }

    private static boolean isIdentity(List<Integer> indices) {
        for (int i = 0; i < indices.size(); i++) {
            if (indices.get(i) != i) {
                return false;
            }
        }
        return true;
    }
}
