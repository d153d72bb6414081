package com.gladstream.glad.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;

/**
 * Exponential moving average of the weights, the weights used for inference. The decay ramps up
 * as min(decay, (1+n)/(10+n)) so short runs are not dominated by the random initial weights.
 */
final class WeightAverage {

    private final double decay;
    private final List<NDArray> averages = new ArrayList<>();

    WeightAverage(NDManager manager, List<NDArray> weights, double decay) {
        this.decay = decay;
        for (NDArray w : weights) {
            NDArray copy = w.duplicate();
            copy.attach(manager);
            averages.add(copy);
        }
    }

    List<NDArray> averages() {
        return averages;
    }

    /** Folds in {@code weights} after 1-based step {@code step}. Call inside an {@link ai.djl.ndarray.NDScope}. */
    void update(List<NDArray> weights, long step) {
        double d = Math.min(decay, (1.0 + step) / (10.0 + step));
        for (int i = 0; i < weights.size(); i++) {
            NDArray average = averages.get(i);
            average.muli(d).addi(weights.get(i).mul(1 - d));
        }
    }
}
