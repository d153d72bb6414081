package com.gladstream.glad.reconstruction;

import ai.djl.ndarray.NDArray;
import com.gladstream.glad.diffusion.NoisePredictor;
import com.gladstream.glad.diffusion.schedule.NoiseSchedule;
import java.util.List;

/**
 * The fixed-step baseline (the paper's ablation rows): noise every image to the same step T and
 * run plain DDIM back, always trusting the network's estimate x̂_{t→0}.
 */
public final class FixedStepReconstructor extends Reconstructor {

    public FixedStepReconstructor(NoisePredictor model, NoiseSchedule schedule, int step, int inferenceSteps) {
        super(model, schedule, step, inferenceSteps);
    }

    @Override
    NDArray cleanEstimate(List<Trajectory> active, NDArray epsHat, NDArray normalEstimate, int[] t) {
        return normalEstimate;
    }
}
