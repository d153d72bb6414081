package com.gladstream.glad.reconstruction;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.gladstream.glad.image.ImageTensors;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Images being reconstructed together. Each carries its own state (timestep, ADS trigger,
 * counters), so images admitted at different times share one network call per {@link #step()}
 * while sitting at different timesteps. An image's result does not depend on its companions.
 *
 * <p>Not thread-safe: one thread adds, steps and closes.
 */
public final class ReconstructionBatch implements AutoCloseable {

    private final Reconstructor reconstructor;
    private final NDManager manager;
    private final List<Trajectory> active = new ArrayList<>();
    private int nextTicket;

    ReconstructionBatch(Reconstructor reconstructor, NDManager parent) {
        this.reconstructor = reconstructor;
        this.manager = parent.newSubManager();
    }

    /**
     * Admits an image: draws its ε from {@code seed} and noises it to the first timestep.
     *
     * @param image C×H×W in model space
     * @return the ticket under which {@link #step()} reports its result; tickets count up from 0
     */
    public int add(NDArray image, long seed) {
        NDManager own = manager.newSubManager();
        NDArray input = image.duplicate();
        input.attach(own);
        NDArray noise = own.create(NoiseSeeds.gaussian(seed, (int) input.size()), input.getShape());
        int[] first = {reconstructor.timestep(0)};
        NDArray noisy = reconstructor.schedule().addNoise(input.expandDims(0), noise.expandDims(0), first).squeeze(0);
        active.add(new Trajectory(nextTicket, own, input, noise, noisy));
        return nextTicket++;
    }

    public int size() {
        return active.size();
    }

    /**
     * One denoising step for every admitted image: one network call, each image's clean estimate,
     * each image's DDIM update to its own previous timestep.
     *
     * @return the images that reached the clean image in this step, or exited early at it, by ticket
     */
    public Map<Integer, ReconstructionResult> step() {
        Map<Integer, ReconstructionResult> finished = new LinkedHashMap<>();
        if (active.isEmpty()) {
            return finished;
        }
        int n = active.size();
        int[] t = new int[n];
        NDList current = new NDList(n);
        for (int i = 0; i < n; i++) {
            t[i] = reconstructor.timestep(active.get(i).stepIndex);
            current.add(active.get(i).current);
        }
        try (NDManager scratch = manager.newSubManager()) {
            NDArray xt = NDArrays.stack(current);
            xt.attach(scratch);
            NDArray epsHat = reconstructor.model().predictNoise(xt, t);
            NDArray normalEstimate = reconstructor.schedule().predictOriginal(xt, epsHat, t);
            active.forEach(trajectory -> trajectory.unetEvaluations++);
            NDArray x0 = reconstructor.cleanEstimate(active, epsHat, normalEstimate, t);
            // After the clean estimate: whether an image triggered there can decide where it goes next.
            int[] nextIndex = new int[n];
            int[] tPrev = new int[n];
            for (int i = 0; i < n; i++) {
                nextIndex[i] = reconstructor.nextStepIndex(active.get(i));
                tPrev[i] = nextIndex[i] >= reconstructor.stepCount() ? -1 : reconstructor.timestep(nextIndex[i]);
            }
            NDArray next = reconstructor.ddim().step(x0, epsHat, tPrev);
            for (int i = 0; i < n; i++) {
                // An image that exits early keeps this step's clean estimate as its reconstruction.
                Trajectory trajectory = active.get(i);
                trajectory.advance(trajectory.exited ? x0.get(i) : next.get(i), nextIndex[i]);
            }
        }
        for (Iterator<Trajectory> it = active.iterator(); it.hasNext(); ) {
            Trajectory trajectory = it.next();
            if (trajectory.exited || trajectory.stepIndex >= reconstructor.stepCount()) {
                finished.put(trajectory.ticket, result(trajectory));
                trajectory.close();
                it.remove();
            }
        }
        return finished;
    }

    private static ReconstructionResult result(Trajectory trajectory) {
        return new ReconstructionResult(
                ImageTensors.fromModelSpace(trajectory.current.expandDims(0)).get(0),
                trajectory.adaptiveStep,
                trajectory.unetEvaluations,
                trajectory.featureExtractions,
                trajectory.stepScores);
    }

    @Override
    public void close() {
        active.forEach(Trajectory::close);
        active.clear();
        manager.close();
    }
}
