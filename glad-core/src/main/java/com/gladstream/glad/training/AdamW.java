package com.gladstream.glad.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;

/**
 * Adam with decoupled weight decay (Loshchilov & Hutter), updating weights in place. Written out
 * rather than DJL's optimizer so its moments can be checkpointed and restored exactly.
 */
final class AdamW {

    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final float EPSILON = 1e-8f;

    private final List<NDArray> weights;
    private final List<Boolean> decayed;
    private final double weightDecay;
    private final List<NDArray> firstMoments = new ArrayList<>();
    private final List<NDArray> secondMoments = new ArrayList<>();

    /**
     * @param weights arrays updated in place (detached views of the parameters)
     * @param decayed per weight: whether weight decay applies (not to biases and norm affines)
     */
    AdamW(NDManager manager, List<NDArray> weights, List<Boolean> decayed, double weightDecay) {
        this.weights = weights;
        this.decayed = decayed;
        this.weightDecay = weightDecay;
        for (NDArray w : weights) {
            firstMoments.add(manager.zeros(w.getShape()));
            secondMoments.add(manager.zeros(w.getShape()));
        }
    }

    List<NDArray> firstMoments() {
        return firstMoments;
    }

    List<NDArray> secondMoments() {
        return secondMoments;
    }

    /**
     * One update with gradients {@code grads} at 1-based step {@code step}. Call inside an
     * {@link ai.djl.ndarray.NDScope}: it releases the temporaries.
     */
    void step(List<NDArray> grads, double learningRate, long step) {
        double correction1 = 1 - Math.pow(BETA1, step);
        double correction2 = 1 - Math.pow(BETA2, step);
        for (int i = 0; i < weights.size(); i++) {
            NDArray g = grads.get(i);
            NDArray m = firstMoments.get(i).muli(BETA1).addi(g.mul(1 - BETA1));
            NDArray v = secondMoments.get(i).muli(BETA2).addi(g.square().muli(1 - BETA2));
            NDArray w = weights.get(i);
            if (decayed.get(i) && weightDecay > 0) {
                w.muli(1 - learningRate * weightDecay);
            }
            NDArray denominator = v.div(correction2).sqrt().addi(EPSILON);
            w.subi(m.mul(learningRate / correction1).divi(denominator));
        }
    }
}
