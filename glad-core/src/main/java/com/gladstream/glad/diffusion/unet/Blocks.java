package com.gladstream.glad.diffusion.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.function.UnaryOperator;

/** Calls a single-output block on arrays; frees a step's intermediates at inference. */
final class Blocks {

    private Blocks() {}

    static NDArray apply(Block block, ParameterStore ps, boolean training, NDArray... inputs) {
        return block.forward(ps, new NDList(inputs), training).singletonOrThrow();
    }

    /**
     * Runs {@code step} on {@code input} with its intermediates on a scope closed when it returns,
     * so at inference their memory is reused by the next step instead of living until the whole
     * call ends (docs/DESIGN.md C.1). Ops put their results on their first operand's manager, so the
     * step's chain must start from {@code input}. Never in training ({@link Kernels#releases}):
     * backward reads arrays made from Java buffers (scalars, constants) that closing would free.
     *
     * @return the step's result, on {@code input}'s manager
     */
    static NDArray scoped(boolean release, NDArray input, UnaryOperator<NDArray> step) {
        if (!release) {
            return step.apply(input);
        }
        NDManager owner = input.getManager();
        try (NDManager scope = owner.newSubManager()) {
            scope.tempAttachAll(input);
            NDArray result = step.apply(input);
            result.attach(owner);
            return result;
        }
    }
}
