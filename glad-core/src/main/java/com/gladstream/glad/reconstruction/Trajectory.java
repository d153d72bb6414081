package com.gladstream.glad.reconstruction;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.gladstream.glad.reconstruction.ReconstructionResult.StepScore;
import java.util.ArrayList;
import java.util.List;

/** One image's state in a {@link ReconstructionBatch}: its arrays, its position in the schedule, its counters. */
final class Trajectory implements AutoCloseable {

    final int ticket;
    final NDManager manager;
    /** x, the input in model space, C×H×W. */
    final NDArray input;
    /** ε, drawn once from the image's seed. */
    final NDArray noise;
    /** x̂_t at the current step. */
    NDArray current;
    int stepIndex;
    Integer adaptiveStep;
    /** Set by the clean estimate of a step at which the image exits early: that x0 is its reconstruction. */
    boolean exited;
    int unetEvaluations;
    int featureExtractions;
    final List<StepScore> stepScores = new ArrayList<>();

    Trajectory(int ticket, NDManager manager, NDArray input, NDArray noise, NDArray current) {
        this.ticket = ticket;
        this.manager = manager;
        this.input = input;
        this.noise = noise;
        this.current = current;
    }

    boolean triggered() {
        return adaptiveStep != null;
    }

    void advance(NDArray next, int nextStepIndex) {
        next.attach(manager);
        current.close();
        current = next;
        stepIndex = nextStepIndex;
    }

    @Override
    public void close() {
        manager.close();
    }
}
