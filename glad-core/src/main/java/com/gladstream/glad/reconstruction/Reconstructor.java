package com.gladstream.glad.reconstruction;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.gladstream.glad.diffusion.NoisePredictor;
import com.gladstream.glad.diffusion.schedule.DdimScheduler;
import com.gladstream.glad.diffusion.schedule.NoiseSchedule;
import java.util.List;
import java.util.Map;

/**
 * The reconstruction loop of docs/DESIGN.md A.1: noise the input to the first timestep with the image's
 * own ε, then DDIM back to the clean image. Subclasses decide only one thing, the clean estimate
 * x0 that each DDIM update starts from; the loop, batching and bookkeeping live in
 * {@link ReconstructionBatch}.
 *
 * <p>A reconstructor holds configuration only and may be shared; a batch belongs to one thread.
 */
public abstract sealed class Reconstructor permits FixedStepReconstructor, AdaptiveReconstructor {

    private final NoisePredictor model;
    private final NoiseSchedule schedule;
    private final DdimScheduler ddim;
    private final int maxStep;
    private final int inferenceSteps;
    private final int[] timesteps;

    Reconstructor(NoisePredictor model, NoiseSchedule schedule, int maxStep, int inferenceSteps) {
        this.model = model;
        this.schedule = schedule;
        this.maxStep = maxStep;
        this.inferenceSteps = inferenceSteps;
        this.ddim = new DdimScheduler(schedule);
        this.timesteps = ddim.timesteps(maxStep, inferenceSteps);
    }

    /**
     * Reconstructs every image, keeping at most {@code batchSize} in flight: one network call
     * serves all of them, and an image joins as soon as another one finishes.
     *
     * @param images N×C×H×W in model space
     * @param seeds one noise seed per image
     * @return one result per image, in input order
     */
    public List<ReconstructionResult> reconstruct(NDArray images, long[] seeds, int batchSize) {
        int n = (int) images.getShape().get(0);
        if (seeds.length != n) {
            throw new IllegalArgumentException(seeds.length + " seeds for " + n + " images");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        ReconstructionResult[] results = new ReconstructionResult[n];
        try (ReconstructionBatch batch = newBatch(images.getManager())) {
            int next = 0;
            while (next < n || batch.size() > 0) {
                while (next < n && batch.size() < batchSize) {
                    batch.add(images.get(next), seeds[next]); // tickets count from 0: ticket == index
                    next++;
                }
                for (Map.Entry<Integer, ReconstructionResult> done : batch.step().entrySet()) {
                    results[done.getKey()] = done.getValue();
                }
            }
        }
        return List.of(results);
    }

    /** A batch on a sub-manager of {@code manager}, for callers that admit images over time. */
    public ReconstructionBatch newBatch(NDManager manager) {
        return new ReconstructionBatch(this, manager);
    }

    /** T, the step the input is noised to. */
    public int maxStep() {
        return maxStep;
    }

    public int inferenceSteps() {
        return inferenceSteps;
    }

    /** The descending timesteps of a run, from the maximum step down. */
    public int[] timesteps() {
        return timesteps.clone();
    }

    /**
     * The clean estimate each active image's DDIM update starts from this step.
     *
     * @param active the images in the network call, in row order
     * @param epsHat ε̂ = ε_θ(x̂_t, t), one row per image
     * @param normalEstimate x̂_{t→0}, the clean image implied by ε̂
     * @param t each image's timestep
     * @return x0, one row per image, on {@code normalEstimate}'s manager
     */
    abstract NDArray cleanEstimate(List<Trajectory> active, NDArray epsHat, NDArray normalEstimate, int[] t);

    /** The step an image goes to after its current one ({@link #stepCount()}: it is done). */
    int nextStepIndex(Trajectory trajectory) {
        return trajectory.stepIndex + 1;
    }

    NoisePredictor model() {
        return model;
    }

    NoiseSchedule schedule() {
        return schedule;
    }

    DdimScheduler ddim() {
        return ddim;
    }

    int timestep(int stepIndex) {
        return timesteps[stepIndex];
    }

    int stepCount() {
        return timesteps.length;
    }
}
