package com.gladstream.cli.bench;

import com.gladstream.glad.diffusion.unet.UNetConfig;

/**
 * How much {@code glad bench} measures. The full plan is what docs/BENCHMARKS.md reports; the
 * quick plan runs every section with small sizes, as a smoke test of the command itself.
 *
 * @param preset the UNet preset whose randomly initialised model is timed (timing does not depend
 *     on the weights' values)
 * @param images images per detection call, and the batch size compared with one image at a time
 * @param maxStep T, the step inputs are noised to
 * @param inferenceSteps S, DDIM steps from T
 * @param detection rounds of the detection comparison (sections 1 and 2)
 * @param features rounds of the feature extractor comparison (section 3)
 * @param featureBatch images per feature extraction or anomaly-map call
 * @param trainingSteps warm-up and measured optimiser steps of each training variant (section 4)
 * @param leakCheckCalls detection calls of the native memory check; RSS is compared after the
 *     first third of them and after all of them
 * @param leakCheckInferenceSteps S of the memory check: leaks happen per call and per step, so
 *     fewer steps keep the many calls affordable without hiding them
 */
record BenchPlan(String preset, int images, int maxStep, int inferenceSteps, Rounds detection, Rounds features,
        int featureBatch, Rounds trainingSteps, int leakCheckCalls, int leakCheckInferenceSteps) {

    BenchPlan {
        if (images < 2 || featureBatch < 1 || leakCheckCalls < 3) {
            throw new IllegalArgumentException("a plan needs at least 2 images (batched vs one at a time), 1 image per"
                    + " feature call and 3 memory-check calls");
        }
    }

    /** Warm-up repetitions, not measured, then measured ones. */
    record Rounds(int warmup, int measured) {
        Rounds {
            // At least one warm-up: the first run of anything pays one-off setup (class loading, JIT,
            // the engine's first call), and training measures a step from the previous step's end.
            if (warmup < 1 || measured < 1) {
                throw new IllegalArgumentException("need at least one warm-up and one measured round");
            }
        }
    }

    /** docs/DESIGN.md A.1's example schedule, also the training command's default: noise to 750 of 1000, 25 DDIM steps. */
    static final int DEFAULT_MAX_STEP = 750;
    static final int DEFAULT_INFERENCE_STEPS = 25;

    static BenchPlan full(String preset) {
        return new BenchPlan(preset, 8, DEFAULT_MAX_STEP, DEFAULT_INFERENCE_STEPS, new Rounds(1, 3), new Rounds(2, 5), 4,
                new Rounds(2, 8), 30, 3);
    }

    static BenchPlan quick(String preset) {
        return new BenchPlan(preset, 2, DEFAULT_MAX_STEP, 2, new Rounds(1, 2), new Rounds(1, 2), 2,
                new Rounds(1, 2), 6, 1);
    }

    /** The network timed: the preset for RGB images. */
    UNetConfig network() {
        return UNetConfig.preset(preset, 3);
    }

    int resolution() {
        return network().resolution();
    }

    /** Detection calls after which the memory check takes its first reading. */
    int leakCheckFirstReading() {
        return leakCheckCalls / 3;
    }
}
