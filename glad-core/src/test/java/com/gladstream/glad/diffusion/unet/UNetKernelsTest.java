package com.gladstream.glad.diffusion.unet;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import com.gladstream.glad.NDManagerExtension;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The fast kernels compute what the network as first written computes: forward and gradients, on fixed weights. */
class UNetKernelsTest {

    /** 1e-4 of the largest reference magnitude: the bound for "numerically unchanged". */
    private static final double RELATIVE_TOLERANCE = 1e-4;

    /**
     * Attention at full resolution of a 48 px input: 2304 positions, so one image's scores (5.3 M
     * floats) exceed a chunk and a batch of three runs as three chunks; at the second level two heads.
     */
    private static final UNetConfig CONFIG = new UNetConfig(48, 3, 8, List.of(1, 2), 1, List.of(0, 1), 1, 4);

    @RegisterExtension
    final NDManagerExtension manager = NDManagerExtension.defaultEngine();

    @Test
    void everyLeverAloneAndAllTogetherGiveTheReferenceForward() {
        Map<String, NDArray> weights = perturbedWeights();
        NDManager m = manager.get();
        NDArray x = m.randomNormal(new Shape(3, 3, 48, 48));
        NDArray t = m.create(new float[] {20, 400, 900});
        float[] reference = forward(network(Kernels.REFERENCE, weights), x, t);
        for (Kernels kernels : List.of(new Kernels(true, false, false, false), new Kernels(false, true, false, false),
                new Kernels(false, false, true, false), new Kernels(false, false, false, true), Kernels.FAST)) {
            float[] fast = forward(network(kernels, weights), x, t);
            assertThat(maxDifference(fast, reference)).as(kernels.toString())
                    .isLessThanOrEqualTo(RELATIVE_TOLERANCE * maxMagnitude(reference));
        }
    }

    @Test
    void aTrainingStepHasTheReferenceLossAndGradients() {
        Map<String, NDArray> weights = perturbedWeights();
        NDManager m = manager.get();
        NDArray x = m.randomNormal(new Shape(3, 3, 48, 48));
        NDArray target = m.randomNormal(new Shape(3, 3, 48, 48));
        NDArray t = m.create(new float[] {20, 400, 900});
        Map<String, float[]> reference = gradients(network(Kernels.REFERENCE, weights), x, t, target);
        Map<String, float[]> fast = gradients(network(Kernels.FAST, weights), x, t, target);
        assertThat(fast.keySet()).isEqualTo(reference.keySet());
        reference.forEach((name, expected) -> assertThat(maxDifference(fast.get(name), expected)).as(name)
                .isLessThanOrEqualTo(RELATIVE_TOLERANCE * Math.max(maxMagnitude(expected), 1e-6)));
    }

    @Test
    void releasingEarlyLeavesFewerArraysUntilTheCallEnds() {
        Map<String, NDArray> weights = perturbedWeights();
        assertThat(arraysLeftByForward(network(Kernels.FAST, weights)))
                .isLessThan(arraysLeftByForward(network(Kernels.REFERENCE, weights)) / 4);
    }

    /** Random weights everywhere, also in the layers that start at zero, so every block shapes the output. */
    private Map<String, NDArray> perturbedWeights() {
        UNet seed = new UNet(CONFIG);
        seed.initialize(manager.get(), 7);
        Map<String, NDArray> weights = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : seed.getParameters()) {
            NDArray w = p.getValue().getArray();
            weights.put(p.getKey(), w.add(manager.get().randomNormal(w.getShape()).mul(0.1f)));
        }
        return weights;
    }

    private UNet network(Kernels kernels, Map<String, NDArray> weights) {
        UNet unet = new UNet(CONFIG, kernels);
        unet.setWeights(manager.get(), weights);
        return unet;
    }

    private static float[] forward(UNet unet, NDArray x, NDArray t) {
        try (NDManager call = x.getManager().newSubManager()) {
            call.tempAttachAll(x, t);
            return unet.forward(new ParameterStore(call, false), new NDList(x, t), false).singletonOrThrow().toFloatArray();
        }
    }

    private int arraysLeftByForward(UNet unet) {
        try (NDManager call = manager.get().newSubManager()) {
            NDArray x = call.randomNormal(new Shape(2, 3, 48, 48));
            NDArray t = call.create(new float[] {100, 500});
            int before = call.getManagedArrays().size();
            unet.forward(new ParameterStore(call, false), new NDList(x, t), false);
            return call.getManagedArrays().size() - before;
        }
    }

    /** The loss and every parameter's gradient of mean((ε_θ(x, t) − target)²). */
    private static Map<String, float[]> gradients(UNet unet, NDArray x, NDArray t, NDArray target) {
        Map<String, float[]> gradients = new LinkedHashMap<>();
        unet.getParameters().values().forEach(p -> p.getArray().setRequiresGradient(true));
        try (NDManager call = x.getManager().newSubManager();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            call.tempAttachAll(x, t, target);
            NDArray out = unet.forward(new ParameterStore(call, false), new NDList(x, t), true).singletonOrThrow();
            NDArray loss = out.sub(target).square().mean();
            collector.backward(loss);
            gradients.put("loss", loss.toFloatArray());
            for (Pair<String, Parameter> p : unet.getParameters()) {
                gradients.put(p.getKey(), p.getValue().getArray().getGradient().toFloatArray());
            }
        }
        return gradients;
    }

    private static double maxDifference(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    private static double maxMagnitude(float[] values) {
        double max = 0;
        for (float v : values) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }
}
